<?xml version="1.0" encoding="UTF-8"?>
<!--
  Notes (TEI Guidelines 3.9): a note in the running text becomes a numbered
  call; a note that points at an anchor (@target/@corresp) is called where the
  anchor stands (commentary notes of letter editions). Which anchor that is
  (te:note-anchor) is in functions.xsl: the metadata needs it too.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <xsl:key name="te:notes-by-anchor" match="tei:note[@target or @corresp]" use="(te:pointers(@target), te:pointers(@corresp)) ! te:ref-id(.)"/>

  <xsl:template match="tei:note">
    <xsl:choose>
      <!-- Called at its anchor instead: render nothing here. -->
      <xsl:when test="te:note-anchor(.)"/>
      <xsl:otherwise><xsl:call-template name="te:note"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:anchor">
    <xsl:variable name="id" select="@xml:id"/>
    <xsl:variable name="called" select="key('te:notes-by-anchor', @xml:id)[te:note-anchor(.) is current()]"/>
    <xsl:for-each select="$called">
      <xsl:call-template name="te:note"/>
    </xsl:for-each>
    <xsl:if test="empty($called)">
      <xsl:call-template name="te:break"><xsl:with-param name="kind" select="'anchor'"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
