<?xml version="1.0" encoding="UTF-8"?>
<!--
  Print edition (paged media): the text of one TEI document as an HTML
  fragment for CSS paged media (Paged.js). Notes stay where they are called
  (float: footnote); ¶ numbers and original page breaks are marginal
  markers; every name with @ref gets an anchor the index points to.
  Ids are local to the document: the TypeScript side prefixes them with the
  document id when documents are put together into one edition.
  Numbers come from the common functions (te:passage-n, te:note-n), so print,
  web and text agree.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:pr="urn:tei-edition:print"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all">
  <xsl:import href="../common/common.xsl"/>
  <xsl:output method="html" html-version="5" indent="no" encoding="UTF-8" omit-xml-declaration="yes"/>

  <!-- Every element with @ref in the text: generate-id → mention number (anchor "m-N"). -->
  <xsl:variable name="pr:mention-map" as="map(xs:string, xs:integer)"
    select="let $ms := /*/tei:text//*[@ref] return map:merge(for $i in 1 to count($ms) return map{generate-id($ms[$i]): $i})"/>

  <xsl:template match="/">
    <div class="tei-text">
      <xsl:apply-templates select="/*/@xml:lang" mode="pr:attrs"/>
      <xsl:apply-templates select="/*/tei:text"/>
    </div>
  </xsl:template>

  <xsl:template match="@xml:lang" mode="pr:attrs"><xsl:attribute name="lang" select="."/></xsl:template>

  <!-- Inside a note everything must stay phrasing content (the note floats from inside a paragraph). -->
  <xsl:function name="pr:in-note" as="xs:boolean">
    <xsl:param name="e" as="node()"/>
    <xsl:sequence select="exists($e/ancestor-or-self::tei:note)"/>
  </xsl:function>

  <xsl:template name="pr:identity">
    <xsl:param name="class" as="xs:string"/>
    <xsl:variable name="name" select="local-name()"/>
    <xsl:attribute name="class" select="normalize-space('tei-' || $name || ' ' || string-join(tokenize($class, '\s+')[. ne $name][. ne ''] ! replace(., '[^\w-]', '_'), ' '))"/>
    <xsl:apply-templates select="@xml:lang" mode="pr:attrs"/>
    <xsl:if test="@xml:id and not(te:is-passage(.))"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
  </xsl:template>

  <!-- The ¶ number, set in the margin by the stylesheet. -->
  <xsl:template name="pr:passage-number">
    <span class="pn" aria-label="Paragraph {te:passage-n(.)}">¶<xsl:value-of select="te:passage-n(.)"/></span>
  </xsl:template>

  <!-- Hooks -->
  <xsl:template name="te:section">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:choose>
      <xsl:when test="self::tei:text or self::tei:body"><xsl:apply-templates/></xsl:when>
      <xsl:when test="pr:in-note(.)"><span class="block"><xsl:apply-templates/></span></xsl:when>
      <xsl:otherwise>
        <section>
          <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
          <xsl:apply-templates/>
        </section>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:heading">
    <xsl:param name="level" as="xs:integer" select="2"/>
    <xsl:element name="{if (pr:in-note(.)) then 'strong' else 'h' || min((6, $level + 1))}">
      <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="'head'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="te:block">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="tag" as="xs:string" select="'div'"/>
    <xsl:variable name="has-blocks" select="exists(.//(tei:p | tei:list | tei:table | tei:lg | tei:quote[tei:p] | tei:floatingText | tei:figure | tei:address[not(parent::tei:p)]))"/>
    <xsl:variable name="el" select="if (pr:in-note(.)) then 'span'
      else if ($tag = 'p' and ($has-blocks or not(self::tei:p or self::tei:ab))) then 'div' else $tag"/>
    <xsl:element name="{$el}">
      <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="$class || (if ($el = 'span') then ' block' else '')"/></xsl:call-template>
      <xsl:if test="te:is-passage(.)">
        <xsl:attribute name="id" select="te:passage-id(.)"/>
        <xsl:attribute name="class" select="normalize-space('tei-' || local-name() || ' passage ' || replace($class, '[^\w\s-]', '_'))"/>
        <xsl:call-template name="pr:passage-number"/>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="te:inline">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="tag" as="xs:string" select="'span'"/>
    <xsl:param name="title" as="xs:string?" select="()"/>
    <xsl:param name="before" as="xs:string?" select="()"/>
    <xsl:param name="after" as="xs:string?" select="()"/>
    <xsl:element name="{$tag}">
      <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
      <xsl:value-of select="$before"/>
      <xsl:apply-templates/>
      <xsl:value-of select="$after"/>
    </xsl:element>
  </xsl:template>

  <!-- A name: an anchor for the index; the TypeScript side resolves data-ref against the registers. -->
  <xsl:template name="te:name">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="refs" as="xs:string*" select="()"/>
    <span>
      <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
      <xsl:if test="exists($refs) and map:contains($pr:mention-map, generate-id())">
        <xsl:attribute name="id" select="'m-' || $pr:mention-map(generate-id())"/>
        <xsl:attribute name="data-ref" select="string-join($refs, ' ')"/>
      </xsl:if>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template name="te:date">
    <xsl:param name="value" as="xs:string?" select="()"/>
    <span>
      <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="'date'"/></xsl:call-template>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- Links: only web addresses stay links in print; pointers inside the edition are plain text. -->
  <xsl:template name="te:link">
    <xsl:param name="href" as="xs:string?" select="()"/>
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:element name="{if ($href and matches($href, '^https?://')) then 'a' else 'span'}">
      <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
      <xsl:if test="$href and matches($href, '^https?://')"><xsl:attribute name="href" select="$href"/></xsl:if>
      <xsl:choose>
        <xsl:when test="exists(node())"><xsl:apply-templates/></xsl:when>
        <xsl:otherwise><xsl:value-of select="($label, $href)[1]"/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <!--
    A numbered note: the call (superscript number) and the note itself, which
    the paged-media stylesheet floats to the foot of the page (float: footnote).
    A note inside a note has no number of its own: it stays in the text, in brackets.
  -->
  <xsl:template name="te:note">
    <xsl:choose>
      <xsl:when test="te:note-n(.) = 0">
        <span class="inner-note">
          <xsl:text> [</xsl:text><xsl:apply-templates/><xsl:text>]</xsl:text>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <sup class="note-call" id="noteref-{te:note-n(.)}" data-n="{te:note-n(.)}"><xsl:value-of select="te:note-label(.)"/></sup>
        <span class="footnote" id="fn-{te:note-n(.)}" data-n="{te:note-n(.)}">
          <xsl:apply-templates select="@xml:lang" mode="pr:attrs"/>
          <span class="fn-label"><xsl:value-of select="te:note-label(.)"/></span>
          <xsl:text> </xsl:text>
          <xsl:apply-templates/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:break">
    <xsl:param name="kind" as="xs:string" select="local-name()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:choose>
      <xsl:when test="$kind = 'pb'">
        <span class="pb" data-n="{$label}">
          <span class="pb-mark">|</span>
          <xsl:if test="$label"><span class="pb-label">p. <xsl:value-of select="$label"/></span></xsl:if>
        </span>
      </xsl:when>
      <xsl:when test="$kind = 'lb'"><xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if></xsl:when>
      <xsl:when test="$kind = 'anchor' and @xml:id"><span class="anchor" id="{@xml:id}"/></xsl:when>
      <xsl:otherwise/>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:list">
    <xsl:param name="ordered" as="xs:boolean" select="false()"/>
    <xsl:apply-templates select="tei:head"/>
    <xsl:element name="{if (pr:in-note(.)) then 'span' else if ($ordered) then 'ol' else 'ul'}">
      <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="'list' || (if (pr:in-note(.)) then ' block' else '')"/></xsl:call-template>
      <xsl:apply-templates select="node() except tei:head"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="te:item">
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:element name="{if (pr:in-note(.)) then 'span' else 'li'}">
      <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="'item' || (if (pr:in-note(.)) then ' block' else '')"/></xsl:call-template>
      <xsl:if test="te:is-passage(.)">
        <xsl:attribute name="id" select="te:passage-id(.)"/>
        <xsl:attribute name="class" select="'tei-item passage'"/>
        <xsl:call-template name="pr:passage-number"/>
      </xsl:if>
      <xsl:if test="$label"><span class="item-label"><xsl:value-of select="$label"/></span><xsl:text> </xsl:text></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="te:table">
    <xsl:choose>
      <xsl:when test="pr:in-note(.)">
        <span class="block table"><xsl:apply-templates/></span>
      </xsl:when>
      <xsl:otherwise>
        <div class="table-wrap">
          <xsl:if test="te:is-passage(.)">
            <xsl:attribute name="id" select="te:passage-id(.)"/>
            <xsl:attribute name="class" select="'table-wrap passage'"/>
            <xsl:call-template name="pr:passage-number"/>
          </xsl:if>
          <table>
            <xsl:call-template name="pr:identity"><xsl:with-param name="class" select="'table'"/></xsl:call-template>
            <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"/></caption></xsl:if>
            <tbody><xsl:apply-templates select="tei:row"/></tbody>
          </table>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="te:row">
    <xsl:element name="{if (pr:in-note(.)) then 'span' else 'tr'}">
      <xsl:if test="pr:in-note(.)"><xsl:attribute name="class" select="'block row'"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
  <xsl:template name="te:cell">
    <xsl:choose>
      <xsl:when test="pr:in-note(.)">
        <span class="cell"><xsl:apply-templates/></span>
        <xsl:if test="following-sibling::tei:cell"><xsl:text> | </xsl:text></xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:element name="{if (@role = 'label' or parent::tei:row/@role = 'label') then 'th' else 'td'}">
          <xsl:if test="@cols"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
          <xsl:if test="@rows"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
          <xsl:apply-templates/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Paper cannot switch readings: the regular (corrected, expanded, normalised) reading is printed, as in the text edition. -->
  <xsl:template name="te:alternate">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="original" as="node()*"/>
    <xsl:param name="regular" as="node()*"/>
    <span class="tei-choice">
      <xsl:apply-templates select="($regular, $original)[1]/node()"/>
    </span>
  </xsl:template>

  <xsl:template name="te:editorial">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="title" as="xs:string?" select="()"/>
    <span class="editorial {$class}"><xsl:value-of select="$text"/></span>
  </xsl:template>

  <!-- Figures: caption and description only (images are not fetched for print). -->
  <xsl:template name="te:figure">
    <xsl:param name="src" as="xs:string?" select="()"/>
    <xsl:element name="{if (pr:in-note(.)) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'tei-figure figure' || (if (pr:in-note(.)) then ' block' else '')"/>
      <xsl:text>[Figure</xsl:text>
      <xsl:if test="tei:head | tei:p | tei:figDesc">
        <xsl:text>: </xsl:text>
        <xsl:apply-templates select="tei:head/node(), tei:p/node(), tei:figDesc/node()"/>
      </xsl:if>
      <xsl:text>]</xsl:text>
    </xsl:element>
  </xsl:template>

  <xsl:template name="te:unknown">
    <xsl:param name="block" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($block and not(pr:in-note(.))) then 'div' else 'span'}">
      <xsl:attribute name="class" select="'tei-' || local-name() || ' unknown'"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>
