<?xml version="1.0" encoding="UTF-8"?>
<!-- Bibliography (TEI Guidelines 3.12): bibl, biblStruct and their parts, rendered in running text. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <xsl:template match="tei:bibl | tei:biblStruct | tei:biblFull">
    <xsl:call-template name="te:name">
      <xsl:with-param name="class" select="local-name()"/>
      <xsl:with-param name="refs" select="(te:pointers(@corresp), tei:ptr[1]/te:pointers(@target))[starts-with(., '#') or contains(., '.xml#')]"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:bibl/tei:ptr[not(node())]" priority="2"/>

  <!-- biblStruct: structured data, so punctuation is the stylesheet's job (Chicago-like order). -->
  <xsl:template match="tei:biblStruct" priority="2">
    <xsl:call-template name="te:name">
      <xsl:with-param name="class" select="'biblStruct'"/>
      <xsl:with-param name="refs" select="if (@xml:id and ancestor::tei:text) then () else te:pointers(@corresp)"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:biblStruct/tei:analytic | tei:biblStruct/tei:monogr" priority="2">
    <xsl:variable name="journal" select="self::tei:monogr and tei:title/@level = 'j'"/>
    <xsl:for-each select="tei:author | tei:editor[not(../tei:author)]">
      <xsl:if test="position() gt 1"><xsl:value-of select="if (position() = last()) then ' and ' else ', '"/></xsl:if>
      <xsl:apply-templates select="."/>
    </xsl:for-each>
    <xsl:if test="tei:editor[not(../tei:author)]"><xsl:value-of select="if (count(tei:editor) gt 1) then ', eds.' else ', ed.'"/></xsl:if>
    <xsl:if test="tei:author or tei:editor[not(../tei:author)]"><xsl:text>, </xsl:text></xsl:if>
    <xsl:for-each select="tei:title">
      <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
      <xsl:if test="@type = ('translated', 'alt')"><xsl:text>(</xsl:text></xsl:if>
      <xsl:apply-templates select="."/>
      <xsl:if test="@type = ('translated', 'alt')"><xsl:text>)</xsl:text></xsl:if>
    </xsl:for-each>
    <xsl:if test="self::tei:analytic"><xsl:text> </xsl:text></xsl:if>
    <xsl:for-each select="tei:idno[not(@type = ('URI', 'url', 'DOI'))]"><xsl:text>, </xsl:text><xsl:apply-templates select="."/></xsl:for-each>
    <xsl:variable name="scopes" select="tei:biblScope | tei:imprint/tei:biblScope"/>
    <xsl:choose>
      <xsl:when test="$journal">
        <!-- Journal: Title vol, no. N (date): pages. -->
        <xsl:for-each select="$scopes[@unit = 'volume']"><xsl:text> </xsl:text><xsl:apply-templates select="."/></xsl:for-each>
        <xsl:for-each select="$scopes[@unit = ('issue', 'number')]">
          <xsl:value-of select="if ($scopes[@unit = 'volume']) then ', ' else ' '"/>
          <xsl:value-of select="if (matches(., '^\s*[Nn]o')) then '' else 'no. '"/>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
        <xsl:for-each select="tei:imprint/tei:date"><xsl:text> (</xsl:text><xsl:apply-templates select="."/><xsl:text>)</xsl:text></xsl:for-each>
        <xsl:for-each select="$scopes[@unit = 'page']"><xsl:text>: </xsl:text><xsl:apply-templates select="."/></xsl:for-each>
        <xsl:for-each select="$scopes[not(@unit = ('volume', 'issue', 'number', 'page'))]"><xsl:text>, </xsl:text><xsl:apply-templates select="."/></xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="tei:imprint"/>
        <xsl:for-each select="$scopes">
          <xsl:text>, </xsl:text>
          <xsl:value-of select="if (@unit = 'issue' and not(matches(., '^\s*[Nn]o'))) then 'no. ' else if (@unit = 'volume' and not(matches(., '^\s*[Vv]ol'))) then 'vol. ' else ''"/>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="self::tei:monogr and not(following-sibling::tei:monogr)"><xsl:text>.</xsl:text></xsl:if>
  </xsl:template>
  <xsl:template match="tei:biblStruct//tei:imprint" priority="2">
    <xsl:variable name="pp" select="string-join((tei:pubPlace ! te:text(.), tei:publisher ! te:text(.)), ': ')"/>
    <xsl:variable name="d" select="te:text(tei:date)"/>
    <xsl:if test="$pp or $d">
      <xsl:text> (</xsl:text>
      <xsl:apply-templates select="tei:pubPlace"/>
      <xsl:if test="tei:pubPlace and tei:publisher">: </xsl:if>
      <xsl:apply-templates select="tei:publisher"/>
      <xsl:if test="$pp and $d">, </xsl:if>
      <xsl:apply-templates select="tei:date"/>
      <xsl:text>)</xsl:text>
    </xsl:if>
  </xsl:template>
  <!-- An article title: “Title,” before the journal. -->
  <xsl:template match="tei:biblStruct/tei:analytic/tei:title" priority="3">
    <xsl:call-template name="te:inline">
      <xsl:with-param name="class" select="string-join(('title', @level), ' ')"/>
      <xsl:with-param name="before" select="'“'"/>
      <xsl:with-param name="after" select="if (../../tei:monogr) then ',”' else '”'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:biblStruct/tei:series" priority="2">
    <xsl:text> </xsl:text><xsl:apply-templates select="tei:title"/>
    <xsl:for-each select="tei:biblScope"><xsl:text> </xsl:text><xsl:apply-templates select="."/></xsl:for-each>
    <xsl:text>.</xsl:text>
  </xsl:template>
  <xsl:template match="tei:biblStruct/tei:note" priority="3">
    <xsl:text> </xsl:text><xsl:apply-templates/>
  </xsl:template>
  <xsl:template match="tei:biblStruct//tei:author | tei:biblStruct//tei:editor" priority="2">
    <xsl:value-of select="if (tei:persName/tei:forename or tei:forename) then string-join((te:text((tei:persName/tei:forename, tei:forename)), te:text((tei:persName/tei:surname, tei:surname))), ' ') else te:text(.)"/>
  </xsl:template>
  <xsl:template match="tei:title">
    <xsl:call-template name="te:inline">
      <xsl:with-param name="class" select="string-join(('title', @level), ' ')"/>
      <xsl:with-param name="tag" select="if (@level = ('a', 'u')) then 'span' else 'cite'"/>
      <xsl:with-param name="before" select="if (@level = 'a' and not(te:has-own-quotes(.))) then '“' else ()"/>
      <xsl:with-param name="after" select="if (@level = 'a' and not(te:has-own-quotes(.))) then '”' else ()"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:author | tei:editor | tei:publisher | tei:pubPlace | tei:biblScope | tei:edition | tei:series | tei:imprint | tei:analytic | tei:monogr | tei:citedRange | tei:respStmt | tei:resp">
    <xsl:call-template name="te:inline"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
