<?xml version="1.0" encoding="UTF-8"?>
<!--
  Behaviour hooks: the small set of behaviours every TEI element maps to
  (block, inline, heading, section, note, break, name, link, list, item,
  table, alternate, editorial, figure, omit). The element-family modules call
  these named templates; each output format's entry stylesheet imports this
  module (through common.xsl) and overrides the hooks. The defaults below
  render plain text, so a format that forgets a hook still loses no text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">

  <xsl:template name="te:block">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="tag" as="xs:string" select="'div'"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:section">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:heading">
    <xsl:param name="level" as="xs:integer" select="2"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:inline">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="tag" as="xs:string" select="'span'"/>
    <xsl:param name="title" as="xs:string?" select="()"/>
    <xsl:param name="before" as="xs:string?" select="()"/>
    <xsl:param name="after" as="xs:string?" select="()"/>
    <xsl:value-of select="$before"/>
    <xsl:apply-templates/>
    <xsl:value-of select="$after"/>
  </xsl:template>

  <xsl:template name="te:name">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="refs" as="xs:string*" select="()"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:date">
    <xsl:param name="value" as="xs:string?" select="()"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:link">
    <xsl:param name="href" as="xs:string?" select="()"/>
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:choose>
      <xsl:when test="exists(node())"><xsl:apply-templates/></xsl:when>
      <xsl:otherwise><xsl:value-of select="($label, $href)[1]"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:note">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:break">
    <xsl:param name="kind" as="xs:string" select="local-name()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
  </xsl:template>

  <xsl:template name="te:list">
    <xsl:param name="ordered" as="xs:boolean" select="false()"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:item">
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:table">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:row">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:cell">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Two readings of one place: $original as written, $regular as normalised/corrected. -->
  <xsl:template name="te:alternate">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="original" as="node()*"/>
    <xsl:param name="regular" as="node()*"/>
    <xsl:apply-templates select="$regular"/>
  </xsl:template>

  <!-- Editorial text the editor adds: gap markers, [?] after unclear text, [sic]. -->
  <xsl:template name="te:editorial">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="title" as="xs:string?" select="()"/>
    <xsl:value-of select="$text"/>
  </xsl:template>

  <xsl:template name="te:figure">
    <xsl:param name="src" as="xs:string?" select="()"/>
    <xsl:apply-templates/>
  </xsl:template>

  <!-- An element no module knows: keep its content, render it generically, warn once. -->
  <xsl:template name="te:unknown">
    <xsl:param name="block" as="xs:boolean" select="false()"/>
    <xsl:apply-templates/>
  </xsl:template>
</xsl:stylesheet>
