<?xml version="1.0" encoding="UTF-8"?>
<!-- Linking (TEI Guidelines 3.7, 16): ref and ptr. Unsafe URLs (javascript:, data:…) never become links. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <!-- (The body is a named template, see common.xsl.) -->
  <xsl:template match="tei:ref | tei:ptr">
    <xsl:call-template name="te:pointer"/>
  </xsl:template>
  <xsl:template name="te:pointer">
    <xsl:variable name="target" select="(te:pointers(@target))[1]"/>
    <xsl:choose>
      <xsl:when test="exists($target) and not(te:safe-uri($target))">
        <xsl:message select="'te-warning|unsafe-url|' || te:path(.) || '|unsafe URL dropped from @target: ' || substring($target, 1, 60)"/>
        <xsl:call-template name="te:inline"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:link">
          <xsl:with-param name="href" select="$target"/>
          <xsl:with-param name="class" select="string-join((local-name(), @type), ' ')"/>
          <xsl:with-param name="label" select="if (self::tei:ptr) then te:ptr-label(.) else ()"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A ptr has no text: label it by what it points at. -->
  <xsl:function name="te:ptr-label" as="xs:string?">
    <xsl:param name="ptr" as="element()"/>
    <xsl:variable name="t" select="(te:pointers($ptr/@target))[1]"/>
    <xsl:variable name="local" select="if (starts-with($t, '#')) then key('te:id', substring($t, 2), root($ptr)) else ()"/>
    <xsl:sequence select="if ($local) then te:text($local/(tei:head, tei:label, tei:title, .)[1]) else if (starts-with($t, '#')) then () else $t"/>
  </xsl:function>

  <!-- XPath-like path of an element, for locating messages in the source. -->
  <xsl:function name="te:path" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <!-- (Siblings are compared by local name, then namespace: the same test as node-name() eq, but
         SaxonJS builds and compares a QName object for every node-name(), several times slower.) -->
    <xsl:sequence select="'/' || string-join($e/ancestor-or-self::* ! (let $l := local-name(), $ns := namespace-uri()
      return $l || '[' || (count(preceding-sibling::*[local-name() eq $l][namespace-uri() eq $ns]) + 1) || ']'), '/')"/>
  </xsl:function>
</xsl:stylesheet>
