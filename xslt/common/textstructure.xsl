<?xml version="1.0" encoding="UTF-8"?>
<!-- Text structure (TEI Guidelines ch. 4, 3.12, 14): divisions, heads, paragraphs, verse, lists, tables, figures, quotations. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:text | tei:body | tei:front | tei:back | tei:group">
    <xsl:call-template name="te:section"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:floatingText/tei:body">
    <xsl:call-template name="te:section">
      <xsl:with-param name="class" select="string-join(('div', @type), ' ')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:floatingText">
    <xsl:call-template name="te:block">
      <xsl:with-param name="class" select="string-join(('floatingText', @type), ' ')"/>
      <xsl:with-param name="tag" select="'blockquote'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:choose>
      <xsl:when test="parent::tei:list or parent::tei:table or parent::tei:figure or parent::tei:lg">
        <xsl:call-template name="te:block"><xsl:with-param name="class" select="'head'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:heading">
          <xsl:with-param name="level" select="min((6, 1 + count(ancestor::tei:div | ancestor::tei:div1 | ancestor::tei:div2 | ancestor::tei:div3 | ancestor::tei:div4 | ancestor::tei:floatingText | ancestor::tei:front | ancestor::tei:back)))"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:docTitle | tei:titlePage | tei:docAuthor | tei:byline | tei:docImprint | tei:docDate | tei:argument | tei:epigraph | tei:trailer">
    <xsl:call-template name="te:block"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:titlePart">
    <xsl:call-template name="te:heading"><xsl:with-param name="level" select="if (@type = 'sub') then 2 else 1"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab">
    <xsl:call-template name="te:block">
      <xsl:with-param name="class" select="string-join((local-name(), @type, @rend), ' ')"/>
      <xsl:with-param name="tag" select="'p'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:lg">
    <xsl:call-template name="te:block"><xsl:with-param name="class" select="string-join(('lg', @type), ' ')"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:l">
    <xsl:call-template name="te:block"><xsl:with-param name="class" select="'l'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:list | tei:text//tei:listBibl">
    <xsl:call-template name="te:list">
      <xsl:with-param name="ordered" select="@type = ('ordered', 'numbered') or @rend = ('numbered', 'ordered')"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:item | tei:text//tei:listBibl/tei:bibl | tei:text//tei:listBibl/tei:biblStruct">
    <xsl:call-template name="te:item">
      <xsl:with-param name="label" select="(preceding-sibling::*[1][self::tei:label]/normalize-space(), @n)[1]"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:text//tei:listBibl/tei:biblStruct" priority="3">
    <xsl:call-template name="te:item"/>
  </xsl:template>
  <xsl:template match="tei:list/tei:label"/>

  <!-- (The body is a named template, see common.xsl.) -->
  <xsl:template match="tei:table">
    <xsl:call-template name="te:table"/>
  </xsl:template>
  <!-- (The body is a named template, see common.xsl.) -->
  <xsl:template match="tei:row">
    <xsl:call-template name="te:row"/>
  </xsl:template>
  <!-- (The body is a named template, see common.xsl.) -->
  <xsl:template match="tei:cell">
    <xsl:call-template name="te:cell"/>
  </xsl:template>

  <xsl:template match="tei:figure">
    <xsl:for-each select="tei:graphic/@url[not(te:safe-uri(.))]">
      <xsl:message select="'te-warning|unsafe-url|' || te:path(..) || '|unsafe URL dropped from graphic/@url: ' || substring(., 1, 60)"/>
    </xsl:for-each>
    <xsl:call-template name="te:figure">
      <xsl:with-param name="src" select="tei:graphic[1]/@url[te:safe-uri(.)]/string()"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:figDesc">
    <xsl:call-template name="te:block"><xsl:with-param name="class" select="'figDesc'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:graphic"/>

  <!-- Quotations: block when they hold paragraphs or stand between blocks, inline otherwise. -->
  <!-- (The body is a named template, see common.xsl.) -->
  <xsl:template match="tei:quote | tei:q | tei:said">
    <xsl:call-template name="te:quotation"/>
  </xsl:template>
  <xsl:template name="te:quotation">
    <xsl:choose>
      <xsl:when test="tei:p | tei:lg | tei:ab | tei:l | tei:floatingText">
        <xsl:call-template name="te:block">
          <xsl:with-param name="class" select="local-name()"/>
          <xsl:with-param name="tag" select="'blockquote'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:inline">
          <xsl:with-param name="class" select="local-name()"/>
          <xsl:with-param name="tag" select="'q'"/>
          <xsl:with-param name="before" select="if (@rend = ('inline', 'none', 'pre(none)') or te:has-own-quotes(.)) then () else '“'"/>
          <xsl:with-param name="after" select="if (@rend = ('inline', 'none', 'pre(none)') or te:has-own-quotes(.)) then () else '”'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Quotation marks already in the transcription just around the element? Then add none. -->
  <xsl:function name="te:has-own-quotes" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="before" select="string(($e/preceding-sibling::node()[1])[self::text()])"/>
    <xsl:variable name="first" select="substring(string($e), 1, 1)"/>
    <xsl:sequence select="matches($before, '[“&quot;»«„‘‚]\s*$') or $first = ('“', '&quot;', '»', '«', '„', '‘')"/>
  </xsl:function>

  <xsl:template match="tei:cit">
    <xsl:call-template name="te:block">
      <xsl:with-param name="class" select="'cit'"/>
      <xsl:with-param name="tag" select="'blockquote'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:cit/tei:bibl | tei:cit/tei:ref" priority="3">
    <xsl:call-template name="te:block">
      <xsl:with-param name="class" select="'cit-source'"/>
      <xsl:with-param name="tag" select="'p'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:cit/tei:quote" priority="2">
    <xsl:call-template name="te:inline">
      <xsl:with-param name="class" select="'quote'"/>
      <xsl:with-param name="tag" select="'q'"/>
      <xsl:with-param name="before" select="if (te:has-own-quotes(.)) then () else '“'"/>
      <xsl:with-param name="after" select="if (te:has-own-quotes(.)) then () else '”'"/>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
