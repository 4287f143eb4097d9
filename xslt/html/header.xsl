<?xml version="1.0" encoding="UTF-8"?>
<!-- Web edition, header family: the metadata panel built from the teiHeader. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:teiHeader" mode="te:header">
    <xsl:variable name="fd" select="tei:fileDesc"/>
    <xsl:variable name="cd" select="tei:profileDesc/tei:correspDesc"/>
    <header class="doc-header">
      <h1 class="doc-title"><xsl:value-of select="te:doc-title(/)"/></h1>
      <xsl:for-each select="$fd/tei:titleStmt/tei:title[@type = 'sub']">
        <p class="doc-subtitle"><xsl:value-of select="te:text(.)"/></p>
      </xsl:for-each>
      <dl class="doc-meta">
        <xsl:if test="$fd/tei:titleStmt/tei:author">
          <dt>Author</dt>
          <dd><xsl:for-each select="$fd/tei:titleStmt/tei:author">
            <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
            <xsl:call-template name="te:agent-link"/>
          </xsl:for-each></dd>
        </xsl:if>
        <xsl:for-each-group select="$cd/tei:correspAction" group-by="@type">
          <dt><xsl:value-of select="te:action-label(current-grouping-key())"/></dt>
          <dd>
            <xsl:for-each select="current-group()">
              <xsl:for-each select="tei:persName | tei:orgName | tei:name | tei:rs">
                <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
                <xsl:call-template name="te:agent-link"/>
              </xsl:for-each>
              <xsl:if test="tei:placeName | tei:settlement">
                <xsl:text> (</xsl:text>
                <xsl:for-each select="tei:placeName | tei:settlement">
                  <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
                  <xsl:call-template name="te:agent-link"/>
                </xsl:for-each>
                <xsl:text>)</xsl:text>
              </xsl:if>
              <xsl:for-each select="tei:date[te:date-value(.)]">
                <xsl:text>, </xsl:text>
                <xsl:apply-templates select="."/>
              </xsl:for-each>
            </xsl:for-each>
          </dd>
        </xsl:for-each-group>
        <xsl:variable name="date" select="($cd/tei:correspAction[@type = 'sent']/tei:date, tei:profileDesc/tei:creation/tei:date)[1]"/>
        <xsl:if test="empty($cd) and $date">
          <dt>Date</dt><dd><xsl:apply-templates select="$date"/></dd>
        </xsl:if>
        <xsl:for-each select="$fd/tei:titleStmt/tei:respStmt | $fd/tei:editionStmt/tei:respStmt">
          <dt><xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if><xsl:value-of select="te:text(tei:resp) ! (upper-case(substring(., 1, 1)) || substring(., 2))"/></dt>
          <dd><xsl:for-each select="tei:persName | tei:name | tei:orgName">
            <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
            <xsl:call-template name="te:agent-link"/>
          </xsl:for-each></dd>
        </xsl:for-each>
        <xsl:if test="$fd/tei:titleStmt/tei:editor">
          <dt>Editor<xsl:if test="count($fd/tei:titleStmt/tei:editor) gt 1">s</xsl:if></dt>
          <dd><xsl:for-each select="$fd/tei:titleStmt/tei:editor">
            <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
            <xsl:call-template name="te:agent-link"/>
          </xsl:for-each></dd>
        </xsl:if>
        <xsl:for-each select="($fd/tei:sourceDesc//tei:msDesc/tei:msIdentifier)">
          <dt>Archival source</dt>
          <dd class="shelfmark">
            <!-- The manuscript's xml:id, so that pointers to it (bibl/@corresp) have a target. -->
            <xsl:if test="ancestor::tei:msDesc[1]/@xml:id"><xsl:attribute name="id" select="ancestor::tei:msDesc[1]/@xml:id"/></xsl:if>
            <xsl:value-of select="string-join((te:text((tei:repository, tei:institution)[1]), te:shelfmark(.))[. ne ''], ', ')"/>
            <xsl:variable name="place" select="string-join((te:text(tei:settlement), te:text(tei:country))[. ne ''], ', ')"/>
            <xsl:if test="$place ne ''"><xsl:text> (</xsl:text><xsl:value-of select="$place"/><xsl:text>)</xsl:text></xsl:if>
          </dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:sourceDesc/(tei:bibl | tei:listBibl/tei:bibl | tei:biblStruct | tei:listBibl/tei:biblStruct)">
          <dt><xsl:value-of select="if (@type = ('firstPublication', 'first-publication', 'edition')) then 'First published' else 'Source'"/></dt>
          <dd><xsl:apply-templates select="."/></dd>
        </xsl:for-each>
        <xsl:if test="$fd/tei:sourceDesc/tei:p">
          <dt>Source</dt>
          <dd><xsl:apply-templates select="$fd/tei:sourceDesc/tei:p/node()"/></dd>
        </xsl:if>
        <xsl:if test="$fd/tei:publicationStmt/(tei:publisher, tei:authority)">
          <dt>Published by</dt>
          <dd><xsl:value-of select="string-join(($fd/tei:publicationStmt/(tei:publisher, tei:authority)[1] ! te:text(.), $fd/tei:publicationStmt/tei:pubPlace ! te:text(.), $fd/tei:publicationStmt/tei:date ! te:text(.))[. ne ''], ', ')"/></dd>
        </xsl:if>
        <xsl:for-each select="$fd/tei:publicationStmt/tei:availability">
          <dt>Licence</dt>
          <dd class="licence">
            <xsl:variable name="l" select="(tei:licence, .)[1]"/>
            <xsl:variable name="label" select="te:text(($l/tei:p[1], $l)[1])"/>
            <xsl:choose>
              <xsl:when test="tei:licence/@target[te:safe-uri(.)]">
                <a href="{tei:licence/@target}" rel="license"><xsl:value-of select="if (string-length($label) gt 200) then tei:licence/@target else $label"/></a>
              </xsl:when>
              <xsl:otherwise><xsl:value-of select="$label"/></xsl:otherwise>
            </xsl:choose>
          </dd>
        </xsl:for-each>
      </dl>
    </header>
  </xsl:template>

  <xsl:template name="te:agent-link">
    <xsl:variable name="refs" select="te:pointers((@ref, tei:persName/@ref, tei:name/@ref)[1])"/>
    <xsl:choose>
      <xsl:when test="exists($refs)">
        <a class="tei-{local-name()} name-link" data-ref="{string-join($refs, ' ')}" data-te-path="{te:path(.)}"><xsl:value-of select="te:text(.)"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="te:text(.)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
