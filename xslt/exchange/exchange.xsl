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
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
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

  <!--
    ONE te:x pass over the document (speed, issue #9: te:x was run five times, for the export, the
    corpus member and the DTS fragments of parts, passages and notes). The copy is the export's,
    with what the others need kept in it until the last pass:
      te-m-<name> attributes  the corpus member's value of an attribute, where it differs (pointers,
                              @change of repaired elements); te-m-drop on the export's own standOff
      te-exchange-unit        (no namespace) around the output of each citable unit, @ref its DTS ref
    te:finish removes both; the corpus member is the copy through te:member (then te:finish), and a
    DTS fragment is a unit's output through te:finish. Same output as te:x over each of them.
  -->
  <xsl:template match="/">
    <xsl:variable name="copy" as="document-node()">
      <xsl:document>
        <xsl:apply-templates select="node()" mode="te:x">
          <xsl:with-param name="prefix" select="''" tunnel="yes"/>
          <xsl:with-param name="te:mark" select="true()" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:document>
    </xsl:variable>
    <xsl:apply-templates select="$copy/node()" mode="te:finish">
      <xsl:with-param name="prefix" select="''" tunnel="yes"/>
    </xsl:apply-templates>
    <xsl:result-document href="corpus-member.xml" method="xml" omit-xml-declaration="yes">
      <xsl:variable name="member" as="document-node()">
        <xsl:document><xsl:apply-templates select="$copy/*" mode="te:member"/></xsl:document>
      </xsl:variable>
      <xsl:apply-templates select="$member/node()" mode="te:finish">
        <xsl:with-param name="prefix" select="te:ncname($doc-id) || '.'" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:result-document>
    <xsl:result-document href="entries.json" method="json">
      <xsl:sequence select="array { $te:entries ! string(@xml:id) }"/>
    </xsl:result-document>
    <xsl:call-template name="te:dts">
      <xsl:with-param name="copy" select="$copy"/>
    </xsl:call-template>
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

  <!-- Citable units of the document, marked in the copy (te:mark) for their DTS fragments. -->
  <xsl:template match="tei:p | tei:ab | tei:lg | tei:opener | tei:closer | tei:postscript | tei:item | tei:dateline | tei:salute
      | tei:signed | tei:table | tei:note | tei:div" mode="te:x" priority="10">
    <xsl:param name="te:mark" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="ref" as="xs:string?" select="if (not($te:mark) or not(root(.) is $te:doc)) then ()
      else if (self::tei:note) then self::tei:note[te:note-n(.) gt 0] ! te:note-id(.)
      else if (self::tei:div) then (if (exists(. intersect $te:parts)) then te:part-id(.) else ())
      else if (te:passage-n(.) gt 0) then te:passage-id(.) else ()"/>
    <xsl:choose>
      <xsl:when test="exists($ref)">
        <xsl:element name="te-exchange-unit" namespace="">
          <xsl:attribute name="ref" select="$ref"/>
          <xsl:next-match/>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The corpus member from the export's copy (te:finish follows, with the member's prefix). -->
  <xsl:mode name="te:member" on-no-match="shallow-copy"/>
  <xsl:template match="Q{}te-exchange-unit" mode="te:member"><xsl:apply-templates mode="te:member"/></xsl:template>
  <xsl:template match="*[@te-m-drop]" mode="te:member"/>
  <xsl:template match="@*[starts-with(local-name(), 'te-m-')]" mode="te:member"/>
  <xsl:template match="@xml:id" mode="te:member">
    <xsl:attribute name="xml:id" select="te:ncname($doc-id) || '.' || ."/>
  </xsl:template>
  <xsl:template match="/*/@xml:id" mode="te:member" priority="2"><xsl:copy/></xsl:template>
  <xsl:template match="@*[namespace-uri() eq ''][local-name() = ($te:pointer-attrs, 'change')]" mode="te:member">
    <xsl:variable name="m" select="../@*[local-name() eq 'te-m-' || local-name(current())]"/>
    <xsl:attribute name="{local-name()}" select="if (exists($m)) then string($m) else string(.)"/>
  </xsl:template>

  <!-- Temporary attributes and markers of the copy (above) are not part of any output. -->
  <xsl:template match="@*[starts-with(local-name(), 'te-m-')]" mode="te:finish"/>
  <xsl:template match="Q{}te-exchange-unit" mode="te:finish"><xsl:apply-templates mode="te:finish"/></xsl:template>

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
    <xsl:param name="te:mark" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="$te:mark">
        <!-- The export's value and (te-m-<name>) the corpus member's, where it differs. -->
        <xsl:variable name="v" select="string(.)"/>
        <xsl:variable name="both" select="if (root(.) is $te:doc) then $te:doc-rewrites($v) else te:rewrite-value($v)"/>
        <xsl:attribute name="{name()}" select="$both[1]"/>
        <xsl:if test="$both[2] ne $both[1]"><xsl:attribute name="te-m-{name()}" select="$both[2]"/></xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:attribute name="{name()}" select="string-join(te:pointers(.) ! te:rewrite-pointer(., $te:doc, $prefix), ' ')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A pointer attribute's value in the export and in the corpus member; those of the document's
       attributes once per value (te:doc-values, refs.xsl). -->
  <xsl:function name="te:rewrite-value" as="xs:string+">
    <xsl:param name="v" as="xs:string"/>
    <xsl:variable name="both" select="te:tokens($v) ! te:rewrite-pointers(., $te:doc, ('', te:ncname($doc-id) || '.'))"/>
    <xsl:sequence select="string-join($both[position() mod 2 eq 1], ' '), string-join($both[position() mod 2 eq 0], ' ')"/>
  </xsl:function>
  <xsl:variable name="te:doc-rewrites" as="map(xs:string, xs:string+)" select="map:merge($te:doc-values ! map { .: te:rewrite-value(.) })"/>

  <xsl:template match="/tei:TEI" mode="te:x">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:param name="te:mark" tunnel="yes" as="xs:boolean" select="false()"/>
    <TEI>
      <xsl:apply-templates select="@* except @xml:id" mode="te:x"/>
      <xsl:attribute name="xml:id" select="te:ncname($doc-id)"/>
      <xsl:apply-templates select="tei:teiHeader" mode="te:x"/>
      <xsl:if test="$prefix eq '' and exists($te:entries)">
        <standOff type="registers">
          <xsl:if test="$te:mark"><xsl:attribute name="te-m-drop"/></xsl:if>
          <xsl:for-each-group select="$te:entries" group-by="te:list-name(.)">
            <xsl:sort select="index-of(('listPerson', 'listPlace', 'listOrg', 'listEvent', 'listBibl'), current-grouping-key())"/>
            <xsl:element name="{current-grouping-key()}">
              <xsl:apply-templates select="current-group()" mode="te:x">
                <xsl:with-param name="te:mark" select="false()" tunnel="yes"/>
              </xsl:apply-templates>
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
  <!-- (Only the names te:is-passage can accept, so that other elements are not tested; in the document,
       "a passage inside text or sourceDoc" is a passage number.) -->
  <xsl:template match="(tei:p | tei:ab | tei:lg | tei:opener | tei:closer | tei:postscript | tei:item | tei:dateline | tei:salute
      | tei:signed | tei:table)[not(@xml:id)][if (root(.) is $te:doc) then te:passage-n(.) gt 0
        else (te:is-passage(.) and ancestor::*[self::tei:text or self::tei:sourceDoc])]" mode="te:x" priority="0.5">
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
