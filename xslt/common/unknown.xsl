<?xml version="1.0" encoding="UTF-8"?>
<!-- Fallback: an element no module knows keeps its content, gets a generic rendering and one warning per element name. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <xsl:key name="te:by-name" match="*" use="node-name()"/>
  <xsl:template match="tei:text//* | tei:sourceDoc//*" priority="-1">
    <xsl:if test=". is key('te:by-name', node-name(.))[1]">
      <xsl:message select="'te-warning|unknown-element|' || te:path(.) || '|element &lt;' || name() || '&gt; has no rendering rule; its content is shown as plain ' || (if (te:is-blockish(.)) then 'block' else 'inline') || ' text'"/>
    </xsl:if>
    <xsl:call-template name="te:unknown"><xsl:with-param name="block" select="te:is-blockish(.)"/></xsl:call-template>
  </xsl:template>
  <xsl:function name="te:is-blockish" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/(tei:p | tei:div | tei:ab | tei:lg | tei:list | tei:table))"/>
  </xsl:function>
  <!-- Non-TEI elements are treated the same way. -->
  <xsl:template match="*[namespace-uri() ne 'http://www.tei-c.org/ns/1.0']" priority="-0.9">
    <xsl:if test=". is key('te:by-name', node-name(.))[1]">
      <xsl:message select="'te-warning|foreign-element|' || te:path(.) || '|element &lt;' || name() || '&gt; is not in the TEI namespace; its content is shown as plain text'"/>
    </xsl:if>
    <xsl:call-template name="te:unknown"/>
  </xsl:template>
</xsl:stylesheet>
