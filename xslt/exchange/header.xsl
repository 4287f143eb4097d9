<?xml version="1.0" encoding="UTF-8"?>
<!--
  The exported header: the edition's publication statement and licence
  (the document's own statement is kept in sourceDesc as a bibl), and a
  refsDecl whose citeStructure describes the citable units (parts,
  paragraphs, notes) with the identifiers the citation format uses.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all">

  <xsl:param name="publisher" as="xs:string" select="''"/>
  <xsl:param name="pub-place" as="xs:string" select="''"/>
  <xsl:param name="base-url" as="xs:string" select="''"/>
  <xsl:param name="licence-label" as="xs:string" select="''"/>
  <xsl:param name="licence-url" as="xs:string" select="''"/>
  <xsl:param name="version" as="xs:string" select="''"/>

  <!-- XPath (TEI namespace as default) of the citable units; mirrors te:is-passage in common/functions.xsl. -->
  <xsl:variable name="te:outside" select="'not(ancestor::teiHeader or ancestor::note or ancestor::standOff or ancestor::figure or ancestor::listPerson or ancestor::listPlace or ancestor::listOrg or ancestor::listBibl or ancestor::listEvent)'"/>
  <xsl:variable name="te:kind" select="'self::p or self::ab or self::lg or self::opener or self::closer or self::postscript or self::table or self::item[not(.//p or .//ab)] or self::dateline[not(ancestor::opener or ancestor::closer)] or self::salute[not(ancestor::opener or ancestor::closer)] or self::signed[not(ancestor::opener or ancestor::closer)]'"/>
  <xsl:variable name="te:kind-any" select="'self::p or self::ab or self::lg or self::opener or self::closer or self::postscript or self::table or self::item or self::dateline[not(ancestor::opener or ancestor::closer)] or self::salute[not(ancestor::opener or ancestor::closer)] or self::signed[not(ancestor::opener or ancestor::closer)]'"/>
  <!-- Units have an xml:id in the export (wrappers added by repair.xsl have none). -->
  <xsl:variable name="te:passage-test" select="'[' || $te:kind || '][@xml:id][' || $te:outside || '][empty(ancestor::*[' || $te:kind-any || '][@xml:id] except ancestor::item[.//p or .//ab])]'"/>
  <xsl:variable name="te:part-path" select="'/TEI/text/(front|body|back)/div'"/>
  <xsl:variable name="te:in-part" select="'ancestor::div[parent::front or parent::body or parent::back][parent::*/parent::text/parent::TEI[not(parent::*)]]'"/>

  <xsl:template match="tei:teiHeader" mode="te:x">
    <teiHeader>
      <xsl:apply-templates select="@*" mode="te:x"/>
      <xsl:apply-templates select="tei:fileDesc" mode="te:x"/>
      <xsl:apply-templates select="tei:encodingDesc" mode="te:x"/>
      <xsl:if test="empty(tei:encodingDesc)">
        <encodingDesc><xsl:call-template name="te:refs-decl"/></encodingDesc>
      </xsl:if>
      <xsl:apply-templates select="node() except (tei:fileDesc | tei:encodingDesc)" mode="te:x"/>
    </teiHeader>
  </xsl:template>

  <xsl:template match="tei:teiHeader/tei:encodingDesc" mode="te:x">
    <xsl:copy>
      <xsl:apply-templates select="@* | node()" mode="te:x"/>
      <xsl:call-template name="te:refs-decl">
        <xsl:with-param name="default" select="empty(tei:refsDecl)"/>
      </xsl:call-template>
    </xsl:copy>
  </xsl:template>

  <xsl:template name="te:refs-decl">
    <xsl:param name="default" as="xs:boolean" select="true()"/>
    <refsDecl n="tei-edition">
      <xsl:if test="$default"><xsl:attribute name="default" select="'true'"/></xsl:if>
      <citeStructure unit="part" match="{$te:part-path}" use="@xml:id">
        <citeStructure unit="paragraph" match=".//*{$te:passage-test}" use="@xml:id" delim="/"/>
      </citeStructure>
      <citeStructure unit="paragraph" match="/TEI/text//*{$te:passage-test}[not({$te:in-part})]" use="@xml:id"/>
    </refsDecl>
    <refsDecl n="notes">
      <citeStructure unit="note" match="/TEI/text//note[{$te:outside-note}]" use="@xml:id"/>
    </refsDecl>
  </xsl:template>
  <xsl:variable name="te:outside-note" select="'not(ancestor::note or ancestor::listPerson or ancestor::listPlace or ancestor::listOrg or ancestor::listBibl or ancestor::listEvent)'"/>

  <xsl:template match="tei:teiHeader/tei:fileDesc/tei:publicationStmt" mode="te:x">
    <publicationStmt>
      <xsl:choose>
        <xsl:when test="$publisher ne ''"><publisher><xsl:value-of select="$publisher"/></publisher></xsl:when>
        <xsl:otherwise><authority><xsl:value-of select="$edition-title"/></authority></xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$pub-place ne ''"><pubPlace><xsl:value-of select="$pub-place"/></pubPlace></xsl:if>
      <xsl:if test="$base-url ne ''">
        <idno type="URL"><xsl:value-of select="$base-url || 'exchange/tei/' || $doc-id || '.xml'"/></idno>
      </xsl:if>
      <availability>
        <licence>
          <xsl:if test="$licence-url ne ''"><xsl:attribute name="target" select="$licence-url"/></xsl:if>
          <xsl:value-of select="$licence-label"/>
        </licence>
      </availability>
    </publicationStmt>
  </xsl:template>

  <!-- The document's own publication statement is kept as the record of where this text was published first. -->
  <xsl:template match="tei:teiHeader/tei:fileDesc/tei:sourceDesc" mode="te:x">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:variable name="ps" select="../tei:publicationStmt"/>
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="te:x"/>
      <xsl:choose>
        <xsl:when test="tei:p and $ps/*">
          <!-- sourceDesc holds prose: keep it, the statement follows as a paragraph of its own. -->
          <xsl:apply-templates select="node()" mode="te:x"/>
          <p><xsl:call-template name="te:original-publication"/></p>
        </xsl:when>
        <xsl:otherwise>
          <xsl:if test="$ps/*"><xsl:call-template name="te:original-publication"/></xsl:if>
          <xsl:apply-templates select="node()" mode="te:x"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:copy>
  </xsl:template>

  <xsl:template name="te:original-publication">
    <xsl:variable name="ps" select="../tei:publicationStmt"/>
    <bibl type="original-publication">
      <xsl:for-each select="$ps/*">
        <xsl:choose>
          <xsl:when test="self::tei:p"><note><xsl:apply-templates select="node()" mode="te:x"/></note></xsl:when>
          <xsl:when test="self::tei:address"><note><xsl:apply-templates select="." mode="te:x"/></note></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="." mode="te:x"/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </bibl>
  </xsl:template>
</xsl:stylesheet>
