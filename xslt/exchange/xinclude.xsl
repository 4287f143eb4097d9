<?xml version="1.0" encoding="UTF-8"?>
<!--
  XInclude, the replacing half: src/stages/xinclude.ts has found every
  xi:include (in document order), checked that it stays inside the corpus,
  loaded and parsed what it points to, and passes the results:
    $inc-map    one token per xi:include: "d<N>" (Nth of $inc-docs), "t<N>" (Nth of $inc-texts), "-" (use xi:fallback)
    $inc-ids    one xpointer id per xi:include ('' = the whole document)
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xi="http://www.w3.org/2001/XInclude"
  exclude-result-prefixes="#all">
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:param name="inc-map" as="xs:string*" select="()"/>
  <xsl:param name="inc-ids" as="xs:string*" select="()"/>
  <xsl:param name="inc-docs" as="document-node()*" select="()"/>
  <xsl:param name="inc-texts" as="xs:string*" select="()"/>

  <xsl:mode on-no-match="shallow-copy"/>

  <xsl:template match="xi:include">
    <xsl:variable name="i" select="count(preceding::xi:include | ancestor::xi:include) + 1"/>
    <xsl:variable name="m" select="($inc-map[$i], '-')[1]"/>
    <xsl:variable name="id" select="($inc-ids[$i], '')[1]"/>
    <xsl:choose>
      <xsl:when test="starts-with($m, 'd')">
        <xsl:variable name="d" select="$inc-docs[xs:integer(substring($m, 2))]"/>
        <xsl:sequence select="if ($id ne '') then ($d//*[@xml:id = $id])[1] else $d/node()[not(self::processing-instruction())]"/>
      </xsl:when>
      <xsl:when test="starts-with($m, 't')">
        <xsl:value-of select="$inc-texts[xs:integer(substring($m, 2))]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="xi:fallback/node()"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
