<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain-text edition: a header block, the text with ¶ numbers, notes as
  numbered endnotes. Blocks are separated by blank lines; the TypeScript
  post-processing wraps long lines for reading.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all">
  <xsl:import href="../common/common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:variable name="NL" select="'&#10;'"/>
  <xsl:variable name="PARA" select="'&#10;&#10;'"/>
  <!-- A hard line break inside a paragraph (verse lines, letter parts, table rows); kept by the re-flow. -->
  <xsl:variable name="LS" select="'&#x2028;'"/>

  <!-- Deletions stay visible, in double brackets (Leiden convention). -->
  <xsl:template match="tei:del">
    <xsl:text>⟦</xsl:text><xsl:apply-templates/><xsl:text>⟧</xsl:text>
  </xsl:template>

  <xsl:template match="/">
    <xsl:variable name="h" select="/*/tei:teiHeader"/>
    <xsl:value-of select="te:doc-title(/)"/>
    <xsl:value-of select="$NL"/>
    <xsl:variable name="fd" select="$h/tei:fileDesc"/>
    <xsl:for-each select="$fd/tei:titleStmt/tei:author">
      <xsl:value-of select="'Author: ' || te:text(.) || $NL"/>
    </xsl:for-each>
    <xsl:for-each select="$h/tei:profileDesc/tei:correspDesc/tei:correspAction">
      <xsl:value-of select="te:text-action(.) || $NL"/>
    </xsl:for-each>
    <xsl:variable name="date" select="($h/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'sent']/tei:date, $h/tei:profileDesc/tei:creation/tei:date)[1]"/>
    <xsl:if test="$date">
      <xsl:value-of select="'Date: ' || te:text($date) || (te:date-value($date)[. ne te:text($date)] ! (' (' || . || ')')) || $NL"/>
    </xsl:if>
    <xsl:for-each select="$fd/tei:titleStmt/tei:respStmt | $fd/tei:editionStmt/tei:respStmt">
      <xsl:value-of select="te:cap(te:text(tei:resp)) || ': ' || string-join((tei:persName | tei:name | tei:orgName) ! te:text(.), '; ') || $NL"/>
    </xsl:for-each>
    <xsl:for-each select="$fd/tei:sourceDesc//tei:msDesc/tei:msIdentifier">
      <xsl:value-of select="'Source: ' || string-join((te:text((tei:repository, tei:institution)[1]), string-join((te:text(tei:settlement), te:text(tei:country))[. ne ''], ', '))[. ne ''], ', ') || $NL"/>
      <xsl:value-of select="'Shelfmark: ' || te:shelfmark(.) || $NL"/>
    </xsl:for-each>
    <xsl:for-each select="$fd/tei:sourceDesc/(tei:bibl | tei:listBibl/tei:bibl | tei:biblStruct | tei:listBibl/tei:biblStruct)">
      <xsl:value-of select="(if (@type = ('firstPublication', 'first-publication', 'edition')) then 'First published: ' else 'Source: ') || te:flat(.) || $NL"/>
    </xsl:for-each>
    <xsl:if test="$fd/tei:sourceDesc/tei:p">
      <xsl:value-of select="'Source: ' || te:flat($fd/tei:sourceDesc/tei:p) || $NL"/>
    </xsl:if>
    <xsl:if test="$fd/tei:publicationStmt/(tei:publisher | tei:authority)">
      <xsl:value-of select="'Published by: ' || te:text($fd/tei:publicationStmt/(tei:publisher, tei:authority)[1]) || $NL"/>
    </xsl:if>
    <xsl:value-of select="$PARA"/>
    <xsl:apply-templates select="/*/tei:text"/>
    <xsl:variable name="notes" select="te:numbered-notes(/)"/>
    <xsl:if test="$notes">
      <xsl:value-of select="$NL || 'Notes' || $PARA"/>
      <xsl:for-each select="$notes">
        <xsl:value-of select="'[' || te:note-label(.) || '] '"/>
        <xsl:apply-templates/>
        <xsl:value-of select="$PARA"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:function name="te:cap" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="upper-case(substring($s, 1, 1)) || substring($s, 2)"/>
  </xsl:function>

  <xsl:function name="te:text-action" as="xs:string">
    <xsl:param name="a" as="element()"/>
    <xsl:variable name="label" select="te:action-label(string($a/@type))"/>
    <xsl:sequence select="$label || ': ' || string-join(($a/(tei:persName | tei:orgName | tei:name | tei:rs) ! te:text(.)), '; ')
      || ($a/(tei:placeName | tei:settlement))[1] ! (' (' || te:text(.) || ')')"/>
  </xsl:function>


  <!-- Text of a node rendered with this format's rules, whitespace normalised. -->
  <xsl:function name="te:flat" as="xs:string">
    <xsl:param name="n" as="node()*"/>
    <xsl:variable name="t"><xsl:apply-templates select="$n"/></xsl:variable>
    <xsl:sequence select="normalize-space(string($t))"/>
  </xsl:function>

  <!-- Hooks -->
  <xsl:template name="te:section">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:heading">
    <xsl:param name="level" as="xs:integer" select="2"/>
    <xsl:value-of select="$PARA"/>
    <xsl:variable name="t" select="te:flat(node())"/>
    <xsl:value-of select="$t || $NL || string-join((1 to string-length($t)) ! (if ($level le 1) then '=' else '-'), '')"/>
    <xsl:value-of select="$PARA"/>
  </xsl:template>

  <xsl:template name="te:block">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="tag" as="xs:string" select="'div'"/>
    <!-- Blocks inside a passage (a stanza's lines, an opener's dateline) are lines of that passage. -->
    <!-- (Asked once; "inside a passage" is te:passage-of, one lookup instead of a test per ancestor.) -->
    <xsl:variable name="passage" select="te:is-passage(.)"/>
    <xsl:variable name="sep" select="if (not($passage) and exists(te:passage-of(.))) then $LS else $PARA"/>
    <xsl:value-of select="$sep"/>
    <xsl:if test="$passage">
      <xsl:value-of select="'¶' || te:passage-n(.) || ' '"/>
    </xsl:if>
    <xsl:apply-templates/>
    <xsl:value-of select="$sep"/>
  </xsl:template>

  <xsl:template name="te:note">
    <xsl:value-of select="'[' || te:note-label(.) || ']'"/>
  </xsl:template>

  <xsl:template name="te:break">
    <xsl:param name="kind" as="xs:string" select="local-name()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:choose>
      <xsl:when test="$kind = 'pb' and $label"><xsl:value-of select="' [p. ' || $label || '] '"/></xsl:when>
      <xsl:when test="$kind = 'lb'"><xsl:value-of select="if (@break = 'no') then '' else ' '"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:list">
    <xsl:param name="ordered" as="xs:boolean" select="false()"/>
    <xsl:value-of select="$PARA"/>
    <xsl:apply-templates/>
    <xsl:value-of select="$PARA"/>
  </xsl:template>

  <xsl:template name="te:item">
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:value-of select="$PARA"/>
    <xsl:if test="te:is-passage(.)"><xsl:value-of select="'¶' || te:passage-n(.) || ' '"/></xsl:if>
    <xsl:value-of select="if ($label) then $label || ' ' else if (parent::tei:list/@type = ('ordered', 'numbered')) then () else '• '"/>
    <xsl:apply-templates/>
    <xsl:value-of select="$PARA"/>
  </xsl:template>

  <xsl:template name="te:table">
    <xsl:value-of select="$PARA"/>
    <xsl:if test="te:is-passage(.)"><xsl:value-of select="'¶' || te:passage-n(.) || ' '"/></xsl:if>
    <xsl:apply-templates/>
    <xsl:value-of select="$PARA"/>
  </xsl:template>
  <xsl:template name="te:row"><xsl:apply-templates/><xsl:value-of select="$LS"/></xsl:template>
  <xsl:template name="te:cell"><xsl:apply-templates/><xsl:if test="following-sibling::tei:cell"><xsl:text> | </xsl:text></xsl:if></xsl:template>

  <xsl:template name="te:figure">
    <xsl:param name="src" as="xs:string?" select="()"/>
    <xsl:value-of select="$PARA || '[Figure'"/>
    <xsl:if test="tei:head | tei:figDesc | tei:p">: <xsl:value-of select="te:flat((tei:head, tei:p, tei:figDesc))"/></xsl:if>
    <xsl:value-of select="']' || $PARA"/>
  </xsl:template>

  <xsl:template name="te:unknown">
    <xsl:param name="block" as="xs:boolean" select="false()"/>
    <xsl:if test="$block"><xsl:value-of select="$PARA"/></xsl:if>
    <xsl:apply-templates/>
    <xsl:if test="$block"><xsl:value-of select="$PARA"/></xsl:if>
  </xsl:template>
</xsl:stylesheet>
