<?xml version="1.0" encoding="UTF-8"?>
<!-- Transcription (TEI Guidelines 3.5, 11): breaks, highlighting, editorial changes, choice. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:pb">
    <xsl:call-template name="te:break">
      <xsl:with-param name="kind" select="'pb'"/>
      <xsl:with-param name="label" select="@n"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:lb | tei:cb | tei:gb | tei:milestone">
    <xsl:call-template name="te:break">
      <xsl:with-param name="kind" select="local-name()"/>
      <xsl:with-param name="label" select="@n"/>
    </xsl:call-template>
  </xsl:template>

  <!-- hi: the rendition decides the inline tag. -->
  <!-- (The body is a named template, see common.xsl.) -->
  <xsl:template match="tei:hi | tei:emph | tei:foreign | tei:term | tei:mentioned | tei:soCalled | tei:gloss | tei:distinct | tei:c | tei:seg | tei:w | tei:pc | tei:s | tei:phr | tei:metamark | tei:ellipsis">
    <xsl:call-template name="te:highlight"/>
  </xsl:template>
  <xsl:template name="te:highlight">
    <xsl:variable name="r" select="string-join((@rend, @rendition ! replace(., '#', '')), ' ')"/>
    <xsl:call-template name="te:inline">
      <xsl:with-param name="class" select="string-join((local-name(), tokenize($r, '\s+')[. ne '']), ' ')"/>
      <xsl:with-param name="tag" select="
        if (self::tei:emph or self::tei:mentioned or self::tei:term or (self::tei:hi and matches($r, 'italic|latintype'))) then 'em'
        else if (self::tei:foreign) then 'i'
        else if (self::tei:hi and matches($r, 'bold|strong')) then 'strong'
        else if (self::tei:hi and matches($r, 'sup')) then 'sup'
        else if (self::tei:hi and matches($r, 'sub')) then 'sub'
        else 'span'"/>
      <xsl:with-param name="before" select="if (self::tei:soCalled) then '“' else ()"/>
      <xsl:with-param name="after" select="if (self::tei:soCalled) then '”' else ()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:handShift">
    <xsl:call-template name="te:break"><xsl:with-param name="kind" select="'handShift'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:del">
    <xsl:call-template name="te:inline">
      <xsl:with-param name="class" select="string-join(('del', @rend), ' ')"/>
      <xsl:with-param name="tag" select="'del'"/>
      <xsl:with-param name="title" select="'deleted'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:add">
    <xsl:call-template name="te:inline">
      <xsl:with-param name="class" select="string-join(('add', @place), ' ')"/>
      <xsl:with-param name="tag" select="'ins'"/>
      <xsl:with-param name="title" select="string-join(('added', @place), ' ')"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:unclear">
    <xsl:call-template name="te:inline">
      <xsl:with-param name="class" select="'unclear'"/>
      <xsl:with-param name="title" select="string-join(('unclear reading', @reason), ': ')"/>
    </xsl:call-template>
    <xsl:call-template name="te:editorial">
      <xsl:with-param name="class" select="'unclear-mark'"/>
      <xsl:with-param name="text" select="'[?]'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:supplied">
    <xsl:call-template name="te:inline">
      <xsl:with-param name="class" select="'supplied'"/>
      <xsl:with-param name="title" select="string-join(('supplied by the editor', @reason), ': ')"/>
      <xsl:with-param name="before" select="if (te:has-own-brackets(.)) then () else '['"/>
      <xsl:with-param name="after" select="if (te:has-own-brackets(.)) then () else ']'"/>
    </xsl:call-template>
  </xsl:template>
  <!-- Brackets printed in the source around the element: add none of our own. -->
  <xsl:function name="te:has-own-brackets" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="ends-with(string(($e/preceding-sibling::node()[1])[self::text()]), '[')
      and starts-with(string(($e/following-sibling::node()[1])[self::text()]), ']')"/>
  </xsl:function>

  <xsl:template match="tei:gap">
    <xsl:call-template name="te:editorial">
      <xsl:with-param name="class" select="'gap'"/>
      <xsl:with-param name="text" select="if (@reason = ('omitted', 'editorial')) then '…' else '[…]'"/>
      <xsl:with-param name="title" select="string-join(('gap', @reason, @quantity ! (. || ' ' || ../@unit)), ' ')"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:space">
    <xsl:call-template name="te:editorial">
      <xsl:with-param name="class" select="'space'"/>
      <xsl:with-param name="text" select="if (@dim = 'vertical') then ' ' else ' '"/>
      <xsl:with-param name="title" select="string-join(('space', @quantity, @unit), ' ')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:choice">
    <xsl:variable name="orig" select="(tei:sic, tei:orig, tei:abbr, tei:seg[1])[1]"/>
    <xsl:variable name="reg" select="(tei:corr, tei:reg, tei:expan, tei:seg[2])[1]"/>
    <xsl:call-template name="te:alternate">
      <xsl:with-param name="class" select="string-join(('choice', ($orig, $reg) ! local-name()), ' ')"/>
      <xsl:with-param name="original" select="$orig"/>
      <xsl:with-param name="regular" select="($reg, $orig)[1]"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:sic | tei:corr | tei:orig | tei:reg | tei:abbr | tei:expan | tei:ex | tei:am">
    <xsl:call-template name="te:inline"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:subst | tei:restore | tei:damage | tei:surplus | tei:secl | tei:app | tei:lem">
    <xsl:call-template name="te:inline"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:app/tei:rdg | tei:app/tei:rdgGrp | tei:fw | tei:facsimile | tei:sourceDoc"/>
</xsl:stylesheet>
