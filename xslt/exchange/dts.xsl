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
    <!-- The export's copy, its units marked (exchange.xsl); without it, every unit is copied on its own. -->
    <xsl:param name="copy" as="document-node()?" select="()"/>
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
    <!-- A fragment is the unit's output in the export (te:x once), through te:finish. -->
    <xsl:variable name="marked" select="$copy/descendant::Q{}te-exchange-unit"/>
    <xsl:for-each select="$marked">
      <xsl:call-template name="te:fragment-of">
        <xsl:with-param name="ref" select="string(@ref)"/>
        <xsl:with-param name="nodes" select="node()"/>
      </xsl:call-template>
    </xsl:for-each>
    <!-- Units the export does not hold as such (none that we know of) are copied on their own. -->
    <xsl:variable name="done" select="$marked ! string(@ref)"/>
    <xsl:for-each select="$te:parts">
      <xsl:variable name="ref" select="te:part-id(.)"/>
      <xsl:if test="not($ref = $done)"><xsl:call-template name="te:fragment"><xsl:with-param name="ref" select="$ref"/></xsl:call-template></xsl:if>
    </xsl:for-each>
    <xsl:for-each select="$passages">
      <xsl:variable name="ref" select="te:passage-id(.)"/>
      <xsl:if test="not($ref = $done)"><xsl:call-template name="te:fragment"><xsl:with-param name="ref" select="$ref"/></xsl:call-template></xsl:if>
    </xsl:for-each>
    <xsl:for-each select="$te:notes">
      <xsl:variable name="ref" select="te:note-id(.)"/>
      <xsl:if test="not($ref = $done)"><xsl:call-template name="te:fragment"><xsl:with-param name="ref" select="$ref"/></xsl:call-template></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="te:fragment-of">
    <xsl:param name="ref" as="xs:string"/>
    <xsl:param name="nodes" as="node()*"/>
    <xsl:if test="matches($ref, '^[\i-[:]][\c-[:]]*$')">
      <xsl:result-document href="{'dts/' || $ref || '.xml'}" method="xml" indent="no">
        <TEI>
          <dts:wrapper>
            <xsl:apply-templates select="$nodes" mode="te:finish">
              <xsl:with-param name="prefix" select="''" tunnel="yes"/>
            </xsl:apply-templates>
          </dts:wrapper>
        </TEI>
      </xsl:result-document>
    </xsl:if>
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
