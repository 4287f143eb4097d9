<?xml version="1.0" encoding="UTF-8"?>
<!--
  Web edition: one <article> per TEI document (metadata panel, text with ¶
  numbers, numbered notes with back-links). Page chrome, register links and
  escaping checks are added by the rehype post-processing in TypeScript.
  TEI identity stays visible: element name as class, xml:id as id, xml:lang as lang.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all">
  <xsl:import href="../common/common.xsl"/>
  <xsl:include href="header.xsl"/>
  <xsl:output method="html" html-version="5" indent="no" encoding="UTF-8" omit-xml-declaration="yes"/>

  <xsl:template match="/">
    <article class="tei-document" data-doc="{$doc-id}">
      <!-- The TEI root's xml:id, so that a pointer to the document itself has a target
           (unless it would clash with an id of the page shell). -->
      <xsl:apply-templates select="/*/@xml:id[not(. = ('main', 'notes-heading', 'cite-this'))], /*/@xml:lang" mode="te:attrs"/>
      <xsl:apply-templates select="/*/tei:teiHeader" mode="te:header"/>
      <div class="tei-text">
        <xsl:apply-templates select="/*/tei:text/@xml:lang" mode="te:attrs"/>
        <xsl:apply-templates select="/*/tei:text"/>
      </div>
      <xsl:variable name="notes" select="te:numbered-notes(/)"/>
      <xsl:if test="$notes">
        <section class="notes" aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notes</h2>
          <ol class="footnotes">
            <xsl:for-each select="$notes">
              <li id="{te:note-id(.)}" class="note {@type} {@place}" value="{te:note-n(.)}">
                <xsl:apply-templates select="@xml:lang" mode="te:attrs"/>
                <span class="note-label"><xsl:value-of select="te:note-label(.)"/>. </span>
                <xsl:apply-templates/>
                <xsl:text> </xsl:text>
                <a class="note-back" href="#noteref-{te:note-id(.)}" aria-label="Back to note call {te:note-label(.)}">↩</a>
              </li>
            </xsl:for-each>
          </ol>
        </section>
      </xsl:if>
    </article>
  </xsl:template>

  <!-- Elements a <p> cannot hold (quote only with paragraphs, address only outside a paragraph). -->
  <xsl:variable name="te:block-names" as="xs:QName*"
    select="('p', 'list', 'table', 'lg', 'quote', 'floatingText', 'figure', 'address') ! QName('http://www.tei-c.org/ns/1.0', .)"/>

  <!-- TEI identity: xml:id → id, xml:lang → lang, element name → class. -->
  <xsl:template match="@xml:id" mode="te:attrs"><xsl:attribute name="id" select="."/></xsl:template>
  <xsl:template match="@xml:lang" mode="te:attrs"><xsl:attribute name="lang" select="."/></xsl:template>
  <xsl:template match="@*" mode="te:attrs"/>

  <xsl:template name="te:identity">
    <xsl:param name="class" as="xs:string"/>
    <xsl:attribute name="class" select="normalize-space('tei-' || local-name() || ' ' || te:classes($class, local-name()))"/>
    <!-- (= apply-templates to @xml:lang in mode te:attrs, without a template call for every element.) -->
    <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
    <xsl:if test="@xml:id and not(te:is-passage(.))"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
  </xsl:template>

  <!-- Does an element contain something rendered as a link (a name with @ref, a cited bibl, ref/ptr)? -->
  <xsl:function name="te:has-links" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/descendant::*[@ref or self::tei:bibl[@corresp] or self::tei:ref[@target] or self::tei:note
      or self::tei:ptr[@target][node() or not(parent::tei:bibl)]][empty(ancestor::tei:note except $e/ancestor-or-self::tei:note)])"/>
  </xsl:function>

  <!-- Extra class tokens, made safe, without the element name itself. -->
  <xsl:function name="te:classes" as="xs:string">
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="name" as="xs:string"/>
    <!-- Tokens of ASCII letters, digits, '-' and '_' are kept as they are without a regex
         (SaxonJS translates \w afresh on every call: milliseconds each). -->
    <!-- (Most elements have no class but their name: answered without tokenize.) -->
    <xsl:sequence select="if ($class eq $name) then '' else string-join(tokenize($class, '\s+')[. ne $name][. ne '']
      ! (if (translate(., 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', '') eq '') then . else replace(., '[^\w-]', '_')), ' ')"/>
  </xsl:function>

  <!-- Hooks -->
  <xsl:template name="te:section">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:choose>
      <xsl:when test="self::tei:text or self::tei:body"><xsl:apply-templates/></xsl:when>
      <xsl:otherwise>
        <section>
          <xsl:call-template name="te:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
          <xsl:apply-templates/>
        </section>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:heading">
    <xsl:param name="level" as="xs:integer" select="2"/>
    <xsl:element name="h{min((6, $level + 1))}">
      <xsl:call-template name="te:identity"><xsl:with-param name="class" select="'head'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="te:block">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="tag" as="xs:string" select="'div'"/>
    <xsl:variable name="passage" select="te:is-passage(.)"/>
    <!-- A <p> cannot hold blocks in HTML: fall back to div when it would. -->
    <!-- One descendant walk and one name comparison per element (SaxonJS runs .//(a | b | …) as one
         child step per name from every node, and builds a QName object for every name test). -->
    <xsl:variable name="has-blocks" select="exists(descendant::*[node-name() = $te:block-names]
      [not(self::tei:quote) or tei:p][not(self::tei:address) or not(parent::tei:p)])"/>
    <xsl:variable name="el" select="if ($tag = 'p' and ($has-blocks or not(self::tei:p or self::tei:ab))) then 'div' else $tag"/>
    <xsl:element name="{$el}">
      <xsl:call-template name="te:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
      <xsl:if test="$passage">
        <xsl:attribute name="id" select="te:passage-id(.)"/>
        <xsl:attribute name="data-n" select="te:passage-n(.)"/>
        <xsl:attribute name="class" select="normalize-space('tei-' || local-name() || ' passage ' || te:classes($class, local-name()))"/>
        <a class="pn" href="#{te:passage-id(.)}" aria-label="Paragraph {te:passage-n(.)}">¶<xsl:value-of select="te:passage-n(.)"/></a>
        <xsl:text> </xsl:text>
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
      <xsl:call-template name="te:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
      <xsl:if test="$title"><xsl:attribute name="title" select="$title"/></xsl:if>
      <xsl:value-of select="$before"/>
      <xsl:apply-templates/>
      <xsl:value-of select="$after"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="te:name">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="refs" as="xs:string*" select="()"/>
    <!-- (The ancestor test once, not once per branch.) -->
    <xsl:variable name="link" as="xs:boolean" select="exists($refs)
      and empty(ancestor::tei:*[@ref or self::tei:bibl[@corresp]][not(. is current())]/self::*[te:pointers(@ref) = $refs])"/>
    <xsl:choose>
      <xsl:when test="$link and te:has-links(.)">
        <!-- A link cannot hold links (HTML): the names inside keep theirs, and this element's own
             reference becomes a small link after it. -->
        <span>
          <xsl:call-template name="te:identity"><xsl:with-param name="class" select="$class || ' has-ref-link'"/></xsl:call-template>
          <xsl:apply-templates/>
        </span>
        <a class="ref-link name-link" data-ref="{string-join($refs, ' ')}" data-te-path="{te:path(.)}">
          <span aria-hidden="true">→</span>
          <span class="visually-hidden"><xsl:value-of select="if (self::tei:bibl or self::tei:biblStruct) then ' (the cited work)' else ' (register entry)'"/></span>
        </a>
      </xsl:when>
      <xsl:when test="$link">
        <!-- Resolved to the register entry's page by the rehype post-processing. -->
        <a data-ref="{string-join($refs, ' ')}" data-te-path="{te:path(.)}">
          <xsl:call-template name="te:identity"><xsl:with-param name="class" select="$class || ' name-link'"/></xsl:call-template>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="te:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
          <xsl:apply-templates/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:date">
    <xsl:param name="value" as="xs:string?" select="()"/>
    <xsl:choose>
      <!-- \d is any Unicode digit; SaxonJS translates that class afresh on every call (~60 µs),
           so ASCII-only values (all of them, in practice) are tested with [0-9]: the same answer. -->
      <xsl:when test="$value and (matches($value, '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$')
          or (exists(string-to-codepoints($value)[. gt 127]) and matches($value, '^\d{4}(-\d{2}(-\d{2})?)?$')))">
        <time datetime="{$value}">
          <xsl:call-template name="te:identity"><xsl:with-param name="class" select="'date'"/></xsl:call-template>
          <xsl:apply-templates/>
        </time>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="te:identity"><xsl:with-param name="class" select="'date'"/></xsl:call-template>
          <xsl:if test="$value"><xsl:attribute name="data-date" select="$value"/></xsl:if>
          <xsl:apply-templates/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:link">
    <xsl:param name="href" as="xs:string?" select="()"/>
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:variable name="target" as="attribute()*">
      <xsl:if test="$href">
        <xsl:choose>
          <!-- Every pointer without a scheme (#id, file.xml#id, a bare id such as "L01412" or "pmb123",
               any relative path) is resolved against the corpus by the rehype post-processing; what does
               not resolve becomes text, never a link to a file the edition does not have. -->
          <xsl:when test="not(matches($href, '^[a-zA-Z][a-zA-Z0-9+.\-]*:'))">
            <xsl:attribute name="data-target" select="$href"/>
            <xsl:attribute name="data-te-path" select="te:path(.)"/>
          </xsl:when>
          <xsl:otherwise><xsl:attribute name="href" select="$href"/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="exists(node()) and exists($target) and te:has-links(.)">
        <!-- A link cannot hold links: the content keeps its own, the pointer follows it. -->
        <span>
          <xsl:call-template name="te:identity"><xsl:with-param name="class" select="$class || ' has-ref-link'"/></xsl:call-template>
          <xsl:apply-templates/>
        </span>
        <a class="ref-link">
          <xsl:sequence select="$target"/>
          <span aria-hidden="true">→</span>
          <span class="visually-hidden"> (link)</span>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <a>
          <xsl:call-template name="te:identity"><xsl:with-param name="class" select="$class"/></xsl:call-template>
          <xsl:sequence select="$target"/>
          <xsl:choose>
            <xsl:when test="exists(node())"><xsl:apply-templates/></xsl:when>
            <xsl:otherwise><xsl:value-of select="($label, $href)[1]"/></xsl:otherwise>
          </xsl:choose>
        </a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Note call: a superscript link; the popover is added by the reader script. -->
  <xsl:template name="te:note">
    <a class="noteref" id="noteref-{te:note-id(.)}" href="#{te:note-id(.)}" role="doc-noteref"
       aria-describedby="{te:note-id(.)}"><sup><xsl:value-of select="te:note-label(.)"/></sup></a>
  </xsl:template>

  <xsl:template name="te:break">
    <xsl:param name="kind" as="xs:string" select="local-name()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:choose>
      <xsl:when test="$kind = 'pb'">
        <span class="pb" data-n="{$label}" title="Page {$label} of the original">
          <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
          <xsl:if test="$label">[p. <xsl:value-of select="$label"/>]</xsl:if>
        </span>
      </xsl:when>
      <xsl:when test="$kind = 'lb'"><span class="lb" data-n="{$label}"><xsl:text> </xsl:text></span></xsl:when>
      <xsl:when test="$kind = 'anchor' and @xml:id"><span class="anchor" id="{@xml:id}"/></xsl:when>
      <xsl:otherwise/>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:list">
    <xsl:param name="ordered" as="xs:boolean" select="false()"/>
    <xsl:apply-templates select="tei:head"/>
    <xsl:element name="{if ($ordered) then 'ol' else 'ul'}">
      <xsl:call-template name="te:identity"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
      <xsl:apply-templates select="node() except tei:head"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="te:item">
    <xsl:param name="label" as="xs:string?" select="()"/>
    <li>
      <xsl:call-template name="te:identity"><xsl:with-param name="class" select="'item'"/></xsl:call-template>
      <xsl:if test="te:is-passage(.)">
        <xsl:attribute name="id" select="te:passage-id(.)"/>
        <xsl:attribute name="data-n" select="te:passage-n(.)"/>
        <xsl:attribute name="class" select="'tei-item passage'"/>
        <a class="pn" href="#{te:passage-id(.)}" aria-label="Paragraph {te:passage-n(.)}">¶<xsl:value-of select="te:passage-n(.)"/></a>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:if test="$label"><span class="item-label"><xsl:value-of select="$label"/></span><xsl:text> </xsl:text></xsl:if>
      <xsl:apply-templates/>
    </li>
  </xsl:template>

  <xsl:template name="te:table">
    <xsl:if test="te:is-passage(.)">
      <a class="pn" id="{te:passage-id(.)}" data-n="{te:passage-n(.)}" href="#{te:passage-id(.)}" aria-label="Paragraph {te:passage-n(.)}">¶<xsl:value-of select="te:passage-n(.)"/></a>
    </xsl:if>
    <table>
      <xsl:call-template name="te:identity"><xsl:with-param name="class" select="'table'"/></xsl:call-template>
      <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"/></caption></xsl:if>
      <tbody><xsl:apply-templates select="tei:row"/></tbody>
    </table>
  </xsl:template>
  <xsl:template name="te:row"><tr><xsl:apply-templates/></tr></xsl:template>
  <xsl:template name="te:cell">
    <xsl:element name="{if (@role = 'label' or parent::tei:row/@role = 'label') then 'th' else 'td'}">
      <xsl:if test="@cols"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
      <xsl:if test="@rows"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- choice: both readings are in the page; the reader switches which is shown. -->
  <xsl:template name="te:alternate">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="original" as="node()*"/>
    <xsl:param name="regular" as="node()*"/>
    <span class="tei-choice alternate">
      <xsl:choose>
        <xsl:when test="$original and $regular and not($original is $regular)">
          <span class="reading orig tei-{local-name($original)}" title="as written"><xsl:apply-templates select="$original/node()"/></span>
          <span class="reading reg tei-{local-name($regular)}" title="{if ($regular/self::tei:corr) then 'corrected' else if ($regular/self::tei:expan) then 'expanded' else 'normalised'} from: {normalize-space($original)}"><xsl:apply-templates select="$regular/node()"/></span>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates select="($regular, $original)[1]/node()"/></xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template name="te:editorial">
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="title" as="xs:string?" select="()"/>
    <span class="editorial {$class}">
      <xsl:if test="$title"><xsl:attribute name="title" select="$title"/></xsl:if>
      <xsl:value-of select="$text"/>
    </span>
  </xsl:template>

  <xsl:template name="te:figure">
    <xsl:param name="src" as="xs:string?" select="()"/>
    <figure>
      <xsl:call-template name="te:identity"><xsl:with-param name="class" select="'figure'"/></xsl:call-template>
      <xsl:if test="$src"><img src="{$src}" alt="{te:text(tei:figDesc)}" loading="lazy"/></xsl:if>
      <xsl:if test="tei:head | tei:p">
        <figcaption><xsl:apply-templates select="tei:head/node(), tei:p"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <xsl:template name="te:unknown">
    <xsl:param name="block" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($block) then 'div' else 'span'}">
      <xsl:attribute name="class" select="'tei-' || local-name() || ' unknown'"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>
