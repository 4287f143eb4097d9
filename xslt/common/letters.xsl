<?xml version="1.0" encoding="UTF-8"?>
<!-- Correspondence (TEI Guidelines 4.2): opener, closer, dateline, salute, signed, postscript, address. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <xsl:template match="tei:opener | tei:closer | tei:postscript">
    <xsl:call-template name="te:block">
      <xsl:with-param name="class" select="string-join((local-name(), @rend), ' ')"/>
    </xsl:call-template>
  </xsl:template>

  <!-- (The body is a named template, see common.xsl.) -->
  <xsl:template match="tei:dateline | tei:salute | tei:signed | tei:address | tei:addrLine">
    <xsl:call-template name="te:letter-part"/>
  </xsl:template>
  <xsl:template name="te:letter-part">
    <xsl:choose>
      <xsl:when test="parent::tei:p or parent::tei:ab or parent::tei:l or parent::tei:head or parent::tei:q or parent::tei:quote[not(tei:p)]">
        <xsl:call-template name="te:inline"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:block">
          <xsl:with-param name="class" select="string-join((local-name(), @rend), ' ')"/>
          <xsl:with-param name="tag" select="if (self::tei:address) then 'address' else 'p'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
