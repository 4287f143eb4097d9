<?xml version="1.0" encoding="UTF-8"?>
<!--
  Dublin Core (oai_dc) record of a document, for OAI-PMH harvesting.
  Only what the TEI header says; the edition's publisher, licence and URL.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  exclude-result-prefixes="#all">

  <xsl:template name="te:oai-dc">
    <xsl:variable name="h" select="/*/tei:teiHeader"/>
    <xsl:variable name="fd" select="$h/tei:fileDesc"/>
    <xsl:variable name="date" select="($h/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date,
      $h/tei:profileDesc/tei:creation/tei:date, $fd/tei:sourceDesc//tei:origDate, /*/tei:text//tei:dateline//tei:date)[te:date-value(.)][1]"/>
    <xsl:result-document href="oai_dc.xml" method="xml" indent="yes">
      <oai_dc:dc xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
        <dc:title><xsl:value-of select="te:doc-title(/)"/></dc:title>
        <xsl:for-each select="$fd/tei:titleStmt/tei:author">
          <dc:creator><xsl:value-of select="te:text((tei:persName, tei:name, tei:orgName, .)[1])"/></dc:creator>
        </xsl:for-each>
        <xsl:for-each select="$h/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'sent'][empty($fd/tei:titleStmt/tei:author)]/(tei:persName | tei:orgName)">
          <dc:creator><xsl:value-of select="te:text(.)"/></dc:creator>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:titleStmt/tei:editor, $fd/tei:titleStmt/tei:respStmt/(tei:persName | tei:name | tei:orgName)">
          <dc:contributor><xsl:value-of select="te:text(.)"/></dc:contributor>
        </xsl:for-each>
        <xsl:for-each select="$h/tei:profileDesc/tei:textClass//tei:term">
          <dc:subject><xsl:value-of select="te:text(.)"/></dc:subject>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:sourceDesc/(tei:p, tei:bibl)[1]">
          <dc:description><xsl:value-of select="te:text(.)"/></dc:description>
        </xsl:for-each>
        <dc:publisher><xsl:value-of select="if ($publisher ne '') then $publisher else $edition-title"/></dc:publisher>
        <xsl:for-each select="$date">
          <dc:date><xsl:value-of select="te:date-value(.)"/></dc:date>
        </xsl:for-each>
        <dc:type>Text</dc:type>
        <dc:format>application/tei+xml</dc:format>
        <dc:identifier><xsl:value-of select="if ($base-url ne '') then $base-url || 'documents/' || $doc-id || '.html' else $doc-id"/></dc:identifier>
        <xsl:for-each select="$fd/tei:sourceDesc//tei:msIdentifier">
          <dc:source><xsl:value-of select="string-join((tei:settlement, tei:institution, tei:repository, tei:collection, tei:idno) ! te:text(.)[. ne ''], ', ')"/></dc:source>
        </xsl:for-each>
        <xsl:for-each select="distinct-values((/*/tei:text/@xml:lang, /*/@xml:lang, $h/tei:profileDesc/tei:langUsage/tei:language/@ident)[1])">
          <dc:language><xsl:value-of select="."/></dc:language>
        </xsl:for-each>
        <dc:relation><xsl:value-of select="$edition-title"/></dc:relation>
        <dc:rights><xsl:value-of select="string-join(($licence-label, $licence-url)[. ne ''], ', ')"/></dc:rights>
      </oai_dc:dc>
    </xsl:result-document>
  </xsl:template>
</xsl:stylesheet>
