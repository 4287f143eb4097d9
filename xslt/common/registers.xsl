<?xml version="1.0" encoding="UTF-8"?>
<!--
  Register lists (listPerson, listPlace, listOrg, listEvent, listBibl in back
  or standOff) are data, not running text: the index stage reads them and
  the register pages show them. In a document's text they are omitted.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <xsl:template match="tei:back/tei:listPerson | tei:back/tei:listPlace | tei:back/tei:listOrg | tei:back/tei:listEvent
      | tei:back/tei:listBibl | tei:back/tei:listNym | tei:back/tei:listRelation | tei:back/tei:div[tei:listPerson or tei:listPlace or tei:listOrg or tei:listBibl]
      | tei:back[empty(* except (tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent | tei:listBibl | tei:listNym | tei:listRelation | tei:div[tei:listPerson or tei:listPlace or tei:listOrg or tei:listBibl]))]
      | tei:standOff | tei:teiHeader | tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent"/>
</xsl:stylesheet>
