<?xml version="1.0" encoding="UTF-8"?>
<!--
  Print edition, LaTeX: the body of one TEI document as LaTeX, for those who
  typeset the edition themselves (xelatex/lualatex with fontspec; the
  preamble is written by src/print/latex.ts).

  Two passes: the hooks build a small intermediate tree (l:cmd, l:env,
  l:raw, l:par) whose text nodes are the transcription; the second pass
  writes LaTeX and escapes EVERY text node, so no LaTeX special from the
  source can reach the output unescaped.
  Notes are \footnote[N]{…} with N = te:note-n: the same numbers as web and text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:l="urn:tei-edition:latex"
  exclude-result-prefixes="#all">
  <xsl:import href="../common/common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:variable name="tree">
      <xsl:apply-templates select="/*/tei:text"/>
    </xsl:variable>
    <xsl:apply-templates select="$tree" mode="l:out"/>
  </xsl:template>

  <!-- Second pass: intermediate tree → LaTeX. -->
  <xsl:template match="text()" mode="l:out">
    <xsl:value-of select="te:tex-escape(replace(., '\s+', ' '))"/>
  </xsl:template>
  <xsl:template match="l:raw" mode="l:out"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="l:par" mode="l:out"><xsl:text>&#10;&#10;</xsl:text></xsl:template>
  <xsl:template match="l:cmd" mode="l:out">
    <xsl:value-of select="(if (@n ne '') then '\' || @n else '') || (if (@opt) then '[' || @opt || ']' else '') || '{'"/>
    <xsl:apply-templates mode="l:out"/>
    <xsl:text>}</xsl:text>
  </xsl:template>
  <xsl:template match="l:env" mode="l:out">
    <xsl:value-of select="'&#10;\begin{' || @n || '}&#10;'"/>
    <xsl:apply-templates mode="l:out"/>
    <xsl:value-of select="'&#10;\end{' || @n || '}&#10;'"/>
  </xsl:template>

  <!-- LaTeX specials: \ { } $ &amp; # ^ _ % ~ (backslash first, through a placeholder). -->
  <xsl:function name="te:tex-escape" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="a" select="replace($s, '\\', '&#xE000;')"/>
    <xsl:variable name="b" select="replace($a, '([&amp;%$#_{}])', '\\$1')"/>
    <xsl:variable name="c" select="replace(replace($b, '~', '\\textasciitilde{}'), '\^', '\\textasciicircum{}')"/>
    <xsl:sequence select="replace(replace($c, '&#xE000;', '\\textbackslash{}'), '&#x2028;|&#x2029;', ' ')"/>
  </xsl:function>

  <xsl:function name="te:in-note" as="xs:boolean">
    <xsl:param name="e" as="node()"/>
    <xsl:sequence select="exists($e/ancestor-or-self::tei:note)"/>
  </xsl:function>

  <!-- Hooks -->
  <xsl:template name="te:section">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:heading">
    <xsl:param name="level" as="xs:integer" select="2"/>
    <l:par/>
    <l:cmd n="{if (te:in-note(.)) then 'textbf' else if ($level le 1) then 'subsection*' else if ($level = 2) then 'subsubsection*' else 'paragraph*'}">
      <xsl:apply-templates/>
    </l:cmd>
    <l:par/>
  </xsl:template>

  <xsl:template name="te:block">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="tag" as="xs:string" select="'div'"/>
    <xsl:choose>
      <xsl:when test="$tag = 'blockquote' and not(te:in-note(.))">
        <l:env n="quote"><xsl:call-template name="l:block-content"/></l:env>
      </xsl:when>
      <xsl:otherwise>
        <l:par/>
        <xsl:call-template name="l:block-content"/>
        <l:par/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="l:block-content">
    <xsl:if test="te:is-passage(.)"><l:raw>\pn{<xsl:value-of select="te:passage-n(.)"/>}</l:raw></xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="te:inline">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="tag" as="xs:string" select="'span'"/>
    <xsl:param name="title" as="xs:string?" select="()"/>
    <xsl:param name="before" as="xs:string?" select="()"/>
    <xsl:param name="after" as="xs:string?" select="()"/>
    <xsl:variable name="cmd" select="map { 'em': 'emph', 'cite': 'emph', 'i': 'textit', 'strong': 'textbf', 'sup': 'textsuperscript', 'sub': 'textsubscript', 'del': 'sout' }($tag)"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:choose>
      <xsl:when test="$cmd">
        <l:cmd n="{$cmd}"><xsl:value-of select="$before"/><xsl:apply-templates/><xsl:value-of select="$after"/></l:cmd>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$before"/><xsl:apply-templates/><xsl:value-of select="$after"/></xsl:otherwise>
    </xsl:choose>
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
    <xsl:variable name="text">
      <xsl:choose>
        <xsl:when test="exists(node())"><xsl:apply-templates/></xsl:when>
        <xsl:otherwise><xsl:value-of select="($label, $href)[1]"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$href and matches($href, '^https?://[^\s{}\\]+$')">
        <l:raw>\href{<xsl:value-of select="replace($href, '([%#])', '\\$1')"/>}</l:raw>
        <l:cmd n=""><xsl:sequence select="$text"/></l:cmd>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:note">
    <xsl:choose>
      <xsl:when test="te:note-n(.) = 0">
        <xsl:text> [</xsl:text><xsl:apply-templates/><xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:if test="ancestor::tei:head"><l:raw>\protect</l:raw></xsl:if>
        <l:cmd n="footnote" opt="{te:note-n(.)}"><xsl:apply-templates/></l:cmd>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:break">
    <xsl:param name="kind" as="xs:string" select="local-name()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:choose>
      <xsl:when test="$kind = 'pb' and te:in-note(.)"><xsl:value-of select="' [p. ' || $label || '] '"/></xsl:when>
      <xsl:when test="$kind = 'pb'"><l:cmd n="pb"><xsl:value-of select="$label"/></l:cmd></xsl:when>
      <xsl:when test="$kind = 'lb' and not(@break = 'no')"><xsl:text> </xsl:text></xsl:when>
      <xsl:otherwise/>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:list">
    <xsl:param name="ordered" as="xs:boolean" select="false()"/>
    <xsl:apply-templates select="tei:head"/>
    <xsl:choose>
      <xsl:when test="tei:item">
        <l:env n="{if ($ordered) then 'enumerate' else 'itemize'}"><xsl:apply-templates select="node() except tei:head"/></l:env>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates select="node() except tei:head"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:item">
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:choose>
      <xsl:when test="parent::tei:list">
        <xsl:choose>
          <xsl:when test="$label"><l:raw>&#10;\item[</l:raw><l:cmd n=""><xsl:value-of select="$label"/></l:cmd><l:raw>] </l:raw></xsl:when>
          <xsl:otherwise><l:raw>&#10;\item </l:raw></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><l:par/><xsl:if test="$label"><xsl:value-of select="$label || ' '"/></xsl:if></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="te:is-passage(.)"><l:raw>\pn{<xsl:value-of select="te:passage-n(.)"/>}</l:raw></xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Tables as one line per row (cells separated by a bar), so notes in cells still become footnotes. -->
  <xsl:template name="te:table">
    <l:par/>
    <xsl:if test="te:is-passage(.)"><l:raw>\pn{<xsl:value-of select="te:passage-n(.)"/>}</l:raw></xsl:if>
    <xsl:if test="tei:head"><l:cmd n="textbf"><xsl:apply-templates select="tei:head/node()"/></l:cmd><l:par/></xsl:if>
    <xsl:apply-templates select="tei:row"/>
    <l:par/>
  </xsl:template>
  <xsl:template name="te:row">
    <xsl:apply-templates/>
    <xsl:if test="following-sibling::tei:row"><l:raw>\newline&#10;</l:raw></xsl:if>
  </xsl:template>
  <xsl:template name="te:cell">
    <xsl:apply-templates/>
    <xsl:if test="following-sibling::tei:cell"><l:raw> \textbar{} </l:raw></xsl:if>
  </xsl:template>

  <xsl:template name="te:alternate">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="original" as="node()*"/>
    <xsl:param name="regular" as="node()*"/>
    <xsl:apply-templates select="($regular, $original)[1]/node()"/>
  </xsl:template>

  <xsl:template name="te:editorial">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="title" as="xs:string?" select="()"/>
    <xsl:value-of select="$text"/>
  </xsl:template>

  <xsl:template name="te:figure">
    <xsl:param name="src" as="xs:string?" select="()"/>
    <l:par/>
    <xsl:text>[Figure</xsl:text>
    <xsl:if test="tei:head | tei:p | tei:figDesc">
      <xsl:text>: </xsl:text>
      <xsl:apply-templates select="tei:head/node(), tei:p/node(), tei:figDesc/node()"/>
    </xsl:if>
    <xsl:text>]</xsl:text>
    <l:par/>
  </xsl:template>

  <xsl:template name="te:unknown">
    <xsl:param name="block" as="xs:boolean" select="false()"/>
    <xsl:if test="$block"><l:par/></xsl:if>
    <xsl:apply-templates/>
    <xsl:if test="$block"><l:par/></xsl:if>
  </xsl:template>
</xsl:stylesheet>
