<?xml version="1.0" encoding="UTF-8"?>
<!--
  Ingest of large files: one TEI document per matched element, as result
  documents "<n>.xml" (n = 1, 2, … in document order).
    $matches  the elements that become documents (a teiCorpus's TEI children,
              or what the `split` XPath selects in a volume)
  A volume's match becomes <TEI> with the volume's teiHeader adapted (the
  document's title from its head, its date from its dateline, a note saying
  where it comes from) and the match as the body. A TEI member of a
  teiCorpus is copied as it is (with the namespace declarations it needs).
  Register lists of the volume outside the matches become one register
  document ("registers.xml"), so references into them keep resolving.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all">
  <xsl:import href="../common/functions.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:param name="matches" as="element()*" select="()"/>
  <xsl:param name="volume-id" as="xs:string" select="'volume'"/>
  <xsl:param name="volume-file" as="xs:string" select="''"/>
  <xsl:param name="xpath" as="xs:string" select="''"/>

  <xsl:variable name="top" select="$matches[empty(ancestor::* intersect $matches)]"/>
  <xsl:variable name="volume" select="/*"/>
  <xsl:variable name="volume-title" select="te:doc-title(/)"/>

  <xsl:template match="/">
    <xsl:for-each select="$top">
      <xsl:variable name="n" select="position()"/>
      <xsl:result-document href="{$n || '.xml'}" method="xml" indent="no">
        <xsl:choose>
          <xsl:when test="self::tei:TEI">
            <xsl:copy>
              <xsl:copy-of select="@*"/>
              <xsl:if test="not(@xml:id)"><xsl:attribute name="xml:id" select="$volume-id || '-' || $n"/></xsl:if>
              <xsl:if test="not(@xml:lang) and ancestor::*/@xml:lang"><xsl:copy-of select="ancestor::*[@xml:lang][1]/@xml:lang"/></xsl:if>
              <xsl:copy-of select="node()"/>
            </xsl:copy>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="." mode="te:document"><xsl:with-param name="n" select="$n"/></xsl:apply-templates>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:result-document>
    </xsl:for-each>
    <xsl:variable name="lists" select="(//tei:listPerson | //tei:listPlace | //tei:listOrg | //tei:listBibl | //tei:listEvent)
      [empty(ancestor::* intersect $top)][empty(ancestor::tei:listPerson | ancestor::tei:listPlace | ancestor::tei:listOrg | ancestor::tei:listBibl | ancestor::tei:listEvent)]
      [empty(ancestor::tei:teiHeader)]"/>
    <xsl:if test="exists($lists) and not($volume/self::tei:teiCorpus)">
      <xsl:result-document href="registers.xml" method="xml" indent="no">
        <TEI xml:id="{$volume-id}-registers">
          <xsl:copy-of select="$volume/@xml:lang"/>
          <teiHeader>
            <fileDesc>
              <titleStmt><title>Registers: <xsl:value-of select="$volume-title"/></title></titleStmt>
              <publicationStmt><p>Register lists of <xsl:value-of select="$volume-file"/>, gathered by tei-edition when the volume was split into documents.</p></publicationStmt>
              <sourceDesc><p><xsl:value-of select="$volume-file"/></p></sourceDesc>
            </fileDesc>
          </teiHeader>
          <text><body><xsl:copy-of select="$lists"/></body></text>
        </TEI>
      </xsl:result-document>
    </xsl:if>
  </xsl:template>

  <xsl:template match="*" mode="te:document">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="head" select="te:text(tei:head[1])"/>
    <xsl:variable name="date" select="(tei:dateline//tei:date, .//tei:dateline//tei:date, .//tei:opener//tei:date)[te:date-value(.)][1]"/>
    <xsl:variable name="h" select="$volume/tei:teiHeader"/>
    <TEI xml:id="{if (@xml:id) then string(@xml:id) else $volume-id || '-' || $n}">
      <xsl:copy-of select="($volume/tei:text/@xml:lang, $volume/@xml:lang)[1]"/>
      <teiHeader>
        <fileDesc>
          <titleStmt>
            <title type="main"><xsl:value-of select="if ($head ne '') then $head else $volume-title || ', ' || $n"/></title>
            <xsl:for-each select="$h/tei:fileDesc/tei:titleStmt/tei:title">
              <title type="volume"><xsl:copy-of select="@* except @type"/><xsl:copy-of select="node()"/></title>
            </xsl:for-each>
            <xsl:copy-of select="$h/tei:fileDesc/tei:titleStmt/(* except tei:title)"/>
          </titleStmt>
          <xsl:copy-of select="$h/tei:fileDesc/(tei:editionStmt, tei:extent, tei:publicationStmt, tei:seriesStmt)"/>
          <notesStmt>
            <xsl:copy-of select="$h/tei:fileDesc/tei:notesStmt/node()"/>
            <note type="split">Document <xsl:value-of select="$n"/> of the volume “<xsl:value-of select="$volume-title"/>” (<xsl:value-of select="$volume-file"/>), made a document of its own by tei-edition (split at <xsl:value-of select="$xpath"/>).</note>
          </notesStmt>
          <xsl:copy-of select="$h/tei:fileDesc/tei:sourceDesc"/>
        </fileDesc>
        <xsl:copy-of select="$h/tei:encodingDesc"/>
        <profileDesc>
          <xsl:copy-of select="$h/tei:profileDesc/(* except (tei:creation, tei:correspDesc))"/>
          <xsl:if test="$date">
            <creation><date><xsl:copy-of select="$date/(@when, @when-iso, @from, @to, @notBefore, @notAfter, @cert)"/><xsl:value-of select="te:text($date)"/></date></creation>
          </xsl:if>
        </profileDesc>
        <xsl:copy-of select="$h/tei:revisionDesc"/>
      </teiHeader>
      <text>
        <body>
          <xsl:copy>
            <xsl:copy-of select="@* except @xml:id"/>
            <xsl:copy-of select="node()"/>
          </xsl:copy>
        </body>
      </text>
    </TEI>
  </xsl:template>
</xsl:stylesheet>
