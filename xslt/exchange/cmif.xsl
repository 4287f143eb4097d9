<?xml version="1.0" encoding="UTF-8"?>
<!--
  CMIF (Correspondence Metadata Interchange Format, v1): one correspDesc per
  letter. Only sent/received actions; persName/orgName with @ref only where
  the register entry carries an authority URI; placeName; ISO dates
  (YYYY, YYYY-MM, YYYY-MM-DD) in @when/@notBefore/@notAfter/@from/@to.
  An unknown correspondent is "Unknown", as CMIF asks.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all">

  <xsl:param name="cmif-source" as="xs:string" select="''"/>

  <xsl:template name="te:cmif">
    <xsl:variable name="cd" select="/*/tei:teiHeader/tei:profileDesc/tei:correspDesc[tei:correspAction][1]"/>
    <xsl:if test="$cd and $base-url ne ''">
      <xsl:result-document href="cmif.xml" method="xml" omit-xml-declaration="yes" indent="yes">
        <correspDesc ref="{$base-url || 'documents/' || $doc-id || '.html'}" source="#{$cmif-source}">
          <xsl:for-each select="'sent', 'received'">
            <xsl:variable name="type" select="."/>
            <xsl:variable name="a" select="$cd/tei:correspAction[@type = $type][1]"/>
            <correspAction type="{$type}">
              <xsl:variable name="names" select="$a/(tei:persName | tei:orgName | tei:rs[@type = ('person', 'org', 'organisation', 'organization')] | tei:name)"/>
              <xsl:for-each select="$names">
                <xsl:element name="{if (self::tei:orgName or self::tei:rs[@type = ('org', 'organisation', 'organization')] or self::tei:name[@type = 'org']) then 'orgName' else 'persName'}">
                  <xsl:sequence select="te:authority(.)"/>
                  <xsl:value-of select="te:text(.)"/>
                </xsl:element>
              </xsl:for-each>
              <xsl:if test="empty($names)"><persName>Unknown</persName></xsl:if>
              <xsl:for-each select="$a/(tei:placeName | tei:settlement)[1]">
                <placeName><xsl:sequence select="te:authority(.)"/><xsl:value-of select="te:text(.)"/></placeName>
              </xsl:for-each>
              <xsl:for-each select="$a/tei:date[1]">
                <xsl:variable name="attrs" select="(@when, @notBefore, @notAfter, @from, @to)[matches(., '^\d{4}(-\d{2}(-\d{2})?)?$')]"/>
                <xsl:if test="exists($attrs)"><date><xsl:sequence select="$attrs"/></date></xsl:if>
              </xsl:for-each>
            </correspAction>
          </xsl:for-each>
        </correspDesc>
      </xsl:result-document>
    </xsl:if>
  </xsl:template>

  <!-- @ref with the authority URI of the entry a name points to (GND, VIAF, Wikidata, GeoNames, URI), if any. -->
  <xsl:function name="te:authority" as="attribute()?">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="entries" select="te:pointers($name/@ref) ! (key('te:local', te:split-pointer(.)[2], $te:doc)[te:is-entry(.)], te:target(., $te:doc))[1]"/>
    <xsl:variable name="uris" select="$entries[1]/tei:idno ! te:authority-uri(.)"/>
    <xsl:if test="exists($uris)"><xsl:attribute name="ref" select="$uris[1]"/></xsl:if>
  </xsl:function>

  <xsl:function name="te:authority-uri" as="xs:string?">
    <xsl:param name="idno" as="element()"/>
    <xsl:variable name="t" select="lower-case(string-join(($idno/@type, $idno/@subtype), ' '))"/>
    <xsl:variable name="v" select="normalize-space($idno)"/>
    <xsl:sequence select="
      if (not(matches($t, '(^|\s)(gnd|viaf|wikidata|geonames|uri|lc|lcnaf|bnf|ndl|isni|orcid)(\s|$)'))) then ()
      else if (matches($v, '^https?://[^\s]+$')) then $v
      else if (matches($t, 'gnd') and matches($v, '^[0-9X-]+$')) then 'https://d-nb.info/gnd/' || $v
      else if (matches($t, 'viaf') and matches($v, '^\d+$')) then 'https://viaf.org/viaf/' || $v
      else if (matches($t, 'wikidata') and matches($v, '^Q\d+$')) then 'http://www.wikidata.org/entity/' || $v
      else if (matches($t, 'geonames') and matches($v, '^\d+$')) then 'https://sws.geonames.org/' || $v
      else ()"/>
  </xsl:function>
</xsl:stylesheet>
