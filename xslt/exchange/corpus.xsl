<?xml version="1.0" encoding="UTF-8"?>
<!--
  The edition as one teiCorpus: the corpus header (edition title, editors,
  publication statement, licence, citeStructure) and one standOff with every
  register entry the documents reference. Run over the context document
  (src/exchange/context.ts); src/exchange/corpus.ts inserts the members
  (corpus-member.xml of each document) where the te-members comment stands.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all">
  <xsl:import href="exchange.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:param name="ids" as="xs:string*" select="()"/>
  <xsl:param name="editors" as="xs:string*" select="()"/>

  <xsl:template match="/" priority="10">
    <xsl:variable name="start" select="$ids ! te:reg-entry(.)/ancestor-or-self::*[te:is-entry(.)][1]"/>
    <!-- Entries the copied entries point to (a document may hold those itself, under a prefixed id). -->
    <xsl:variable name="entries" select="te:close-registers($start, $start, 0)"/>
    <xsl:variable name="top" select="te:outermost($entries)"/>
    <!-- Built first, then te:finish (repair.xsl) records the repairs of the copied entries in the corpus header. -->
    <xsl:variable name="corpus" as="document-node()">
      <xsl:document>
    <teiCorpus>
      <teiHeader>
        <fileDesc>
          <titleStmt>
            <title><xsl:value-of select="$edition-title"/></title>
            <xsl:for-each select="$editors"><editor><xsl:value-of select="."/></editor></xsl:for-each>
          </titleStmt>
          <xsl:if test="$version ne ''"><editionStmt><edition n="{$version}">Version <xsl:value-of select="$version"/></edition></editionStmt></xsl:if>
          <publicationStmt>
            <xsl:choose>
              <xsl:when test="$publisher ne ''"><publisher><xsl:value-of select="$publisher"/></publisher></xsl:when>
              <xsl:otherwise><authority><xsl:value-of select="$edition-title"/></authority></xsl:otherwise>
            </xsl:choose>
            <xsl:if test="$pub-place ne ''"><pubPlace><xsl:value-of select="$pub-place"/></pubPlace></xsl:if>
            <xsl:if test="$base-url ne ''"><idno type="URL"><xsl:value-of select="$base-url || 'exchange/tei/corpus.xml'"/></idno></xsl:if>
            <availability>
              <licence>
                <xsl:if test="$licence-url ne ''"><xsl:attribute name="target" select="$licence-url"/></xsl:if>
                <xsl:value-of select="$licence-label"/>
              </licence>
            </availability>
          </publicationStmt>
          <sourceDesc><p>The documents of the edition; each member carries its own source description.</p></sourceDesc>
        </fileDesc>
      </teiHeader>
      <xsl:if test="exists($top)">
        <standOff type="registers">
          <xsl:for-each-group select="$top" group-by="te:list-name(.)">
            <xsl:sort select="index-of(('listPerson', 'listPlace', 'listOrg', 'listEvent', 'listBibl'), current-grouping-key())"/>
            <xsl:element name="{current-grouping-key()}">
              <xsl:apply-templates select="current-group()" mode="te:x">
                <xsl:with-param name="prefix" select="''" tunnel="yes"/>
              </xsl:apply-templates>
            </xsl:element>
          </xsl:for-each-group>
        </standOff>
      </xsl:if>
      <xsl:comment>te-members</xsl:comment>
    </teiCorpus>
      </xsl:document>
    </xsl:variable>
    <xsl:apply-templates select="$corpus/node()" mode="te:finish">
      <xsl:with-param name="prefix" select="''" tunnel="yes"/>
    </xsl:apply-templates>
  </xsl:template>

  <xsl:function name="te:close-registers" as="element()*">
    <xsl:param name="found" as="element()*"/>
    <xsl:param name="new" as="element()*"/>
    <xsl:param name="depth" as="xs:integer"/>
    <xsl:variable name="seen" select="te:id-set($found)"/>
    <!-- (…)[not seen]/. : without duplicates, in document order, as `except $found` gave, without comparing every pair. -->
    <xsl:variable name="next" select="($new/descendant-or-self::*/@*[local-name() = $te:pointer-attrs][namespace-uri() = '']
      ! (for $t in te:pointers(.) return te:split-pointer($t)[2][. ne ''] ! te:reg-entry(.)/ancestor-or-self::*[te:is-entry(.)][1]))
      [not(map:contains($seen, generate-id(.)))]/."/>
    <xsl:sequence select="if (empty($next) or $depth gt 50) then $found else te:close-registers($found | $next, $next, $depth + 1)"/>
  </xsl:function>
</xsl:stylesheet>
