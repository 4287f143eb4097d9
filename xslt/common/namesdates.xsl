<?xml version="1.0" encoding="UTF-8"?>
<!-- Names and dates (TEI Guidelines 13, 3.6): persons, places, organisations, referring strings, dates. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:rs | tei:name | tei:geogName
      | tei:settlement | tei:country | tei:region | tei:bloc | tei:district | tei:objectName | tei:eventName">
    <xsl:call-template name="te:name">
      <xsl:with-param name="class" select="string-join((local-name(), @type), ' ')"/>
      <xsl:with-param name="refs" select="te:pointers(@ref)"/>
    </xsl:call-template>
  </xsl:template>
  <!-- Name parts inside a name: no behaviour of their own. -->
  <xsl:template match="tei:forename | tei:surname | tei:roleName | tei:addName | tei:genName | tei:nameLink">
    <xsl:call-template name="te:inline"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:date | tei:time | tei:origDate">
    <xsl:call-template name="te:date"><xsl:with-param name="value" select="te:date-value(.)"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:num | tei:measure | tei:unit | tei:idno | tei:abbr[not(parent::tei:choice)]">
    <xsl:call-template name="te:inline"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
