<?xml version="1.0" encoding="UTF-8"?>
<!--
  Exchange formats of one document (run by src/formats/exchange.ts, with the
  register files as the $context parameter):
    principal result      the self-contained TEI export (exchange/tei/<id>.xml)
    corpus-member.xml     the same document as a member of the edition's teiCorpus
                          (ids prefixed, register entries left to the corpus standOff)
    entries.json          ids of the register entries copied into the export
    dts-units.json        citable units (parts, paragraphs, notes) for DTS
    dts/<ref>.xml         DTS document-endpoint fragments (dts:wrapper)
    cmif.xml              the CMIF correspDesc (letters only)
    oai_dc.xml            the Dublin Core record
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all">
  <xsl:import href="../common/common.xsl"/>
  <xsl:include href="refs.xsl"/>
  <xsl:include href="header.xsl"/>
  <xsl:include href="dts.xsl"/>
  <xsl:include href="cmif.xsl"/>
  <xsl:include href="dc.xsl"/>
  <xsl:include href="repair.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:variable name="te:doc" as="document-node()" select="/"/>
  <xsl:variable name="te:entries" as="element()*" select="te:referenced-entries(/)"/>
  <xsl:variable name="te:notes" as="element()*" select="te:numbered-notes(/)"/>
  <!-- Parts: the divisions directly under front, body and back. -->
  <xsl:variable name="te:parts" as="element()*" select="/*/tei:text/(tei:front, tei:body, tei:back)/tei:div"/>

  <xsl:template match="/">
    <xsl:call-template name="te:export">
      <xsl:with-param name="nodes" select="node()"/>
      <xsl:with-param name="prefix" select="''" tunnel="yes"/>
    </xsl:call-template>
    <xsl:result-document href="corpus-member.xml" method="xml" omit-xml-declaration="yes">
      <xsl:call-template name="te:export">
        <xsl:with-param name="nodes" select="*"/>
        <xsl:with-param name="prefix" select="te:ncname($doc-id) || '.'" tunnel="yes"/>
      </xsl:call-template>
    </xsl:result-document>
    <xsl:result-document href="entries.json" method="json">
      <xsl:sequence select="array { $te:entries ! string(@xml:id) }"/>
    </xsl:result-document>
    <xsl:call-template name="te:dts"/>
    <xsl:call-template name="te:cmif"/>
    <xsl:call-template name="te:oai-dc"/>
  </xsl:template>

  <!-- Two passes: te:x (copy, pointers, identifiers, repairs: repair.xsl), then te:finish (the change record of the repairs). -->
  <xsl:template name="te:export">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="copy" as="document-node()">
      <xsl:document><xsl:apply-templates select="$nodes" mode="te:x"/></xsl:document>
    </xsl:variable>
    <xsl:apply-templates select="$copy/node()" mode="te:finish"/>
  </xsl:template>

  <!-- Identity, with pointers rewritten and foreign (xsi:…) attributes dropped. -->
  <xsl:mode name="te:x" on-no-match="shallow-copy"/>
  <xsl:template match="processing-instruction() | @*[namespace-uri() = 'http://www.w3.org/2001/XMLSchema-instance']" mode="te:x"/>
  <xsl:template match="/comment()" mode="te:x"/>

  <xsl:template match="@xml:id" mode="te:x">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:attribute name="xml:id" select="$prefix || ."/>
  </xsl:template>

  <xsl:template match="@*[local-name() = $te:pointer-attrs][namespace-uri() = '']" mode="te:x">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:attribute name="{name()}" select="string-join(te:pointers(.) ! te:rewrite-pointer(., $te:doc, $prefix), ' ')"/>
  </xsl:template>

  <xsl:template match="/tei:TEI" mode="te:x">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <TEI>
      <xsl:apply-templates select="@* except @xml:id" mode="te:x"/>
      <xsl:attribute name="xml:id" select="te:ncname($doc-id)"/>
      <xsl:apply-templates select="tei:teiHeader" mode="te:x"/>
      <xsl:if test="$prefix eq '' and exists($te:entries)">
        <standOff type="registers">
          <xsl:for-each-group select="$te:entries" group-by="te:list-name(.)">
            <xsl:sort select="index-of(('listPerson', 'listPlace', 'listOrg', 'listEvent', 'listBibl'), current-grouping-key())"/>
            <xsl:element name="{current-grouping-key()}">
              <xsl:apply-templates select="current-group()" mode="te:x"/>
            </xsl:element>
          </xsl:for-each-group>
        </standOff>
      </xsl:if>
      <xsl:apply-templates select="node() except tei:teiHeader" mode="te:x"/>
    </TEI>
  </xsl:template>

  <xsl:function name="te:list-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if ($e/(self::tei:person | self::tei:personGrp)) then 'listPerson'
      else if ($e/self::tei:place) then 'listPlace' else if ($e/self::tei:org) then 'listOrg'
      else if ($e/self::tei:event) then 'listEvent' else 'listBibl'"/>
  </xsl:function>

  <!-- Citable units get the identifiers the citation format uses (par-N, note-N, part-N). -->
  <xsl:template match="tei:text//*[te:is-passage(.)][not(@xml:id)] | tei:sourceDoc//*[te:is-passage(.)][not(@xml:id)]" mode="te:x">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:copy>
      <xsl:attribute name="xml:id" select="$prefix || te:passage-id(.)"/>
      <xsl:call-template name="te:copy-content"/>
    </xsl:copy>
  </xsl:template>
  <xsl:template match="tei:note[not(@xml:id)][. intersect $te:notes]" mode="te:x" priority="2">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:copy>
      <xsl:attribute name="xml:id" select="$prefix || te:note-id(.)"/>
      <xsl:apply-templates select="@* | node()" mode="te:x"/>
    </xsl:copy>
  </xsl:template>
  <xsl:template match="tei:div[not(@xml:id)][. intersect $te:parts]" mode="te:x" priority="2">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:copy>
      <xsl:attribute name="xml:id" select="$prefix || te:part-id(.)"/>
      <xsl:call-template name="te:copy-content"/>
    </xsl:copy>
  </xsl:template>

  <xsl:function name="te:part-id" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="if ($div/@xml:id) then string($div/@xml:id) else 'part-' || (index-of($te:parts ! generate-id(.), generate-id($div)))[1]"/>
  </xsl:function>
</xsl:stylesheet>
