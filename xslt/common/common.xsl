<?xml version="1.0" encoding="UTF-8"?>
<!--
  Format-neutral layer: every element family module, the behaviour hooks and
  the shared functions. A format's entry stylesheet imports this module and
  overrides the hooks (see hooks.xsl).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <xsl:include href="functions.xsl"/>
  <xsl:include href="hooks.xsl"/>
  <xsl:include href="textstructure.xsl"/>
  <xsl:include href="letters.xsl"/>
  <xsl:include href="transcr.xsl"/>
  <xsl:include href="namesdates.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="linking.xsl"/>
  <xsl:include href="bibl.xsl"/>
  <xsl:include href="registers.xsl"/>
  <xsl:include href="unknown.xsl"/>

  <!-- Speed: SaxonJS prepares the whole compiled stylesheet again for every transformation (a few
       walks over all of its nodes), and copies a template rule's body once per alternative of a
       union match pattern (a | b | c). A rule with several alternatives and a body of more than a
       call therefore calls a named template that holds the body. -->

  <!-- Parameters shared by every format. -->
  <xsl:param name="doc-id" as="xs:string" select="string(/*/@xml:id)"/>
  <xsl:param name="edition-title" as="xs:string" select="''"/>
  <xsl:param name="lang" as="xs:string" select="'en'"/>
</xsl:stylesheet>
