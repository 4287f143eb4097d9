<?xml version="1.0" encoding="UTF-8"?>
<!--
  Distributed Text Services: the citable units of a document (parts,
  paragraphs, notes) as JSON for the navigation endpoint, and one
  document-endpoint fragment (TEI root with a dts:wrapper) per unit.
  Identifiers and numbers are those of the citation format (te:passage-id,
  te:passage-n, te:note-id, te:note-n).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:dts="https://w3id.org/api/dts#"
  xmlns="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all">

  <xsl:template name="te:dts">
    <xsl:variable name="passages" select="te:passages(/)"/>
    <xsl:result-document href="dts-units.json" method="json" indent="no">
      <xsl:sequence select="map {
        'top': array { ($te:parts | $passages[empty(ancestor::tei:div intersect $te:parts)]) ! map {
            'kind': if (exists(. intersect $te:parts)) then 'part' else 'paragraph',
            'id': if (exists(. intersect $te:parts)) then te:part-id(.) else te:passage-id(.) } },
        'parts': array { $te:parts ! map {
            'id': te:part-id(.),
            'title': te:text(tei:head[1]),
            'passages': array { (.//* intersect $passages) ! te:passage-id(.) } } },
        'passages': array { $passages ! map {
            'id': te:passage-id(.), 'n': te:passage-n(.),
            'part': string((ancestor::tei:div intersect $te:parts) ! te:part-id(.)) } },
        'notes': array { $te:notes ! map { 'id': te:note-id(.), 'n': te:note-n(.) } }
      }"/>
    </xsl:result-document>
    <xsl:for-each select="$te:parts">
      <xsl:call-template name="te:fragment"><xsl:with-param name="ref" select="te:part-id(.)"/></xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="$passages">
      <xsl:call-template name="te:fragment"><xsl:with-param name="ref" select="te:passage-id(.)"/></xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="$te:notes">
      <xsl:call-template name="te:fragment"><xsl:with-param name="ref" select="te:note-id(.)"/></xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="te:fragment">
    <xsl:param name="ref" as="xs:string"/>
    <xsl:if test="matches($ref, '^[\i-[:]][\c-[:]]*$')">
      <xsl:result-document href="{'dts/' || $ref || '.xml'}" method="xml" indent="no">
        <TEI>
          <dts:wrapper>
            <!-- te:finish removes the bookkeeping of the repairs (repair.xsl). -->
            <xsl:variable name="unit" as="document-node()">
              <xsl:document>
                <xsl:apply-templates select="." mode="te:x">
                  <xsl:with-param name="prefix" select="''" tunnel="yes"/>
                </xsl:apply-templates>
              </xsl:document>
            </xsl:variable>
            <xsl:apply-templates select="$unit/node()" mode="te:finish">
              <xsl:with-param name="prefix" select="''" tunnel="yes"/>
            </xsl:apply-templates>
          </dts:wrapper>
        </TEI>
      </xsl:result-document>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
