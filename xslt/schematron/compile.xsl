<?xml version="1.0" encoding="UTF-8"?>
<!--
  Compiles an ISO Schematron schema (queryBinding xslt2/xslt3) to an XSLT 3.0
  stylesheet that reports in SVRL. Supported: ns, let (schema, pattern and rule
  level), pattern, rule (first matching rule of a pattern wins), abstract rules
  with extends, assert, report, value-of, name, and top-level xsl:key and
  xsl:function. Phases are not supported: every pattern is active.

  Each failed assert / successful report carries @id (the rule id), @role
  (error, warning or info) and @location, a path such as
  /TEI[1]/text[1]/body[1]/p[3] (or …/p[3]/@rend), which tei-edition maps back
  to a line and column.

  Parameters the compiled stylesheet declares (set by tei-edition):
  $register-ids (xs:string*), $corpus-ids (xs:string*: "path/file.xml#id"),
  $corpus-files (xs:string*), $document-path (xs:string, relative to the corpus).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:axsl="urn:tei-edition:alias-xsl"
    xmlns:sch="http://purl.oclc.org/dsdl/schematron"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:svrl="http://purl.oclc.org/dsdl/svrl"
    xmlns:te="urn:tei-edition"
    exclude-result-prefixes="sch xs">

  <xsl:namespace-alias stylesheet-prefix="axsl" result-prefix="xsl"/>
  <xsl:output method="xml" indent="yes"/>

  <xsl:template match="/sch:schema">
    <axsl:stylesheet version="3.0" exclude-result-prefixes="#all">
      <xsl:namespace name="xs" select="'http://www.w3.org/2001/XMLSchema'"/>
      <xsl:for-each select="sch:ns">
        <xsl:namespace name="{@prefix}" select="string(@uri)"/>
      </xsl:for-each>
      <axsl:param name="register-ids" as="xs:string*" select="()"/>
      <axsl:param name="corpus-ids" as="xs:string*" select="()"/>
      <axsl:param name="corpus-files" as="xs:string*" select="()"/>
      <axsl:param name="document-path" as="xs:string" select="''"/>
      <xsl:copy-of select="xsl:key | xsl:function"/>
      <xsl:apply-templates select="sch:let"/>
      <axsl:function name="te:path" as="xs:string">
        <axsl:param name="node" as="node()"/>
        <axsl:variable name="element" select="$node/ancestor-or-self::*[1]"/>
        <axsl:variable name="steps" select="for $a in $element/ancestor-or-self::* return concat('/', local-name($a), '[', count($a/preceding-sibling::*[local-name() = local-name($a)]) + 1, ']')"/>
        <axsl:sequence select="concat(string-join($steps, ''), if ($node instance of attribute()) then concat('/@', name($node)) else '')"/>
      </axsl:function>
      <axsl:template match="/">
        <svrl:schematron-output title="{normalize-space(sch:title)}">
          <xsl:for-each select="sch:pattern[not(@abstract = 'true')]">
            <svrl:active-pattern id="{(@id, concat('pattern-', position()))[1]}"/>
            <axsl:apply-templates select="/" mode="P{position()}"/>
          </xsl:for-each>
        </svrl:schematron-output>
      </axsl:template>
      <xsl:for-each select="sch:pattern[not(@abstract = 'true')]">
        <xsl:variable name="n" select="position()"/>
        <xsl:variable name="pattern" select="."/>
        <xsl:for-each select="sch:rule[not(@abstract = 'true')]">
          <axsl:template match="{@context}" mode="P{$n}" priority="{1000 - position()}">
            <xsl:apply-templates select="$pattern/sch:let"/>
            <xsl:apply-templates select="sch:let"/>
            <xsl:apply-templates select="sch:assert | sch:report | sch:extends"/>
            <axsl:apply-templates select="@* | *" mode="P{$n}"/>
          </axsl:template>
        </xsl:for-each>
        <axsl:template match="@* | node()" mode="P{$n}" priority="-10">
          <axsl:apply-templates select="@* | *" mode="P{$n}"/>
        </axsl:template>
        <axsl:template match="document-node()" mode="P{$n}" priority="-5">
          <axsl:apply-templates select="*" mode="P{$n}"/>
        </axsl:template>
      </xsl:for-each>
    </axsl:stylesheet>
  </xsl:template>

  <xsl:template match="sch:let">
    <axsl:variable name="{@name}" select="{@value}"/>
  </xsl:template>

  <xsl:template match="sch:extends">
    <xsl:variable name="id" select="@rule"/>
    <xsl:variable name="abstract" select="//sch:rule[@abstract = 'true'][@id = $id]"/>
    <xsl:apply-templates select="$abstract/sch:let"/>
    <xsl:apply-templates select="$abstract/(sch:assert | sch:report | sch:extends)"/>
  </xsl:template>

  <xsl:template match="sch:assert | sch:report">
    <xsl:variable name="kind" select="if (self::sch:assert) then 'failed-assert' else 'successful-report'"/>
    <xsl:variable name="id" select="(@id, ../@id, ../../@id, 'schematron')[1]"/>
    <xsl:variable name="role" select="lower-case((@role, ../@role, 'error')[1])"/>
    <axsl:if test="{if (self::sch:assert) then concat('not(', @test, ')') else @test}">
      <xsl:element name="svrl:{$kind}">
        <xsl:attribute name="id" select="$id"/>
        <xsl:attribute name="role" select="$role"/>
        <xsl:attribute name="test" select="@test"/>
        <axsl:attribute name="location" select="te:path(.)"/>
        <svrl:text>
          <axsl:variable name="message" as="xs:string*">
            <xsl:apply-templates select="node()" mode="message"/>
          </axsl:variable>
          <axsl:value-of select="normalize-space(string-join($message, ''))"/>
        </svrl:text>
      </xsl:element>
    </axsl:if>
  </xsl:template>

  <xsl:template match="text()" mode="message">
    <axsl:sequence select="{concat('''', replace(., '''', ''''''), '''')}"/>
  </xsl:template>
  <xsl:template match="sch:value-of" mode="message">
    <axsl:sequence select="string-join(for $v in ({@select}) return string($v), ' ')"/>
  </xsl:template>
  <xsl:template match="sch:name" mode="message">
    <axsl:sequence select="name({(@path, '.')[1]})"/>
  </xsl:template>
  <xsl:template match="*" mode="message">
    <xsl:apply-templates select="node()" mode="message"/>
  </xsl:template>
</xsl:stylesheet>
