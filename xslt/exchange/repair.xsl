<?xml version="1.0" encoding="UTF-8"?>
<!--
  Export-time repairs (mode te:x): encodings that TEI P5 tei_all does not allow
  are rewritten into legal TEI WITHOUT losing or inventing text. Each repair
    - warns (rule export-repaired, located at the source element), so that
      editors learn that their source is invalid;
    - marks the exported element with a temporary attribute te-repair-<kind>-<id>
      holding a description; te:finish (exchange.xsl) turns those into one
      revisionDesc/change (xml:id te-export-repairs) listing every repair, and
      removes them;
    - gives elements it adds or renames @change pointing to that change.
  The repairs, by element family (docs/rules.md, export-repaired):
    letters       salute, signed, dateline inside phrase-level content → seg[@type=name];
                  div / postscript content models (te:block): stray text → ab;
                  dateline/salute directly in postscript → opener/closer;
                  paragraphs after the closing part → postscript; no paragraph-level
                  element at all → an empty ab
    transcription addSpan with content → add; anchor with content → seg
    msdescription supportDesc children in TEI order; desc children that desc does not
                  allow → quote (the quoted transcription they are in the sources)
    bibl          monogr: imprint before biblScope/extent; ref/ptr in monogr → end of
                  biblStruct; imprint in series → note[@type=imprint]/bibl
    attributes    @scribe="#id" → @scribeRef; empty attribute values dropped;
                  @cert out of the TEI values mapped; supplied/@type → @reason;
                  whitespace in graphic/@url percent-encoded; graphic without url → surface
  Passage identifiers stay where the citation format puts them; wrappers added here
  carry no xml:id, and the refsDecl (header.xsl) only counts units with one.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all">

  <xsl:variable name="te:repair-change" as="xs:string" select="'te-export-repairs'"/>

  <!-- ============================================================ bookkeeping -->

  <!-- Records one repair. Call where attributes of the output element may still be added. -->
  <xsl:template name="te:repaired">
    <xsl:param name="e" as="node()"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:variable name="el" select="$e/ancestor-or-self::*[1]"/>
    <!-- Entries copied from register files are reported in the change record only (not once per document that copies them). -->
    <xsl:if test="root($el) is $te:doc">
      <xsl:message select="'te-warning|export-repaired|' || te:path($el) || '|' || $what || ' in the TEI export (tei_all does not allow the source encoding)'"/>
    </xsl:if>
    <xsl:attribute name="te-repair-{$kind}-{generate-id($e)}" select="te:repair-location($el) || ': ' || $what"/>
  </xsl:template>

  <!-- Where a repair is, for the change record: the path without positions of 1; in an entry copied from a
       register file, that file and the path inside it. -->
  <xsl:function name="te:repair-location" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="register" select="$e/ancestor::te:register[1]"/>
    <xsl:variable name="path" select="replace(te:path($e), '\[1\]', '')"/>
    <xsl:sequence select="if ($register) then $register/@file || ' ' || replace($path, '^.*/register(\[\d+\])?', '') else $path"/>
  </xsl:function>

  <!-- @change of an element a repair adds or renames (keeping a @change of the source element). -->
  <xsl:template name="te:change-attr">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:param name="te:mark" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="from" as="element()?" select="()"/>
    <xsl:attribute name="change" select="string-join(($from/@change/string(), '#' || $prefix || $te:repair-change), ' ')"/>
    <!-- The corpus member's value (exchange.xsl: te:member). -->
    <xsl:if test="$te:mark">
      <xsl:attribute name="te-m-change" select="string-join(($from/@change/string(), '#' || te:ncname($doc-id) || '.' || $te:repair-change), ' ')"/>
    </xsl:if>
  </xsl:template>

  <!-- The citation identifier an element gets in the export, when it is a unit and has none. -->
  <xsl:template name="te:unit-id">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:if test="not(@xml:id) and (ancestor::tei:text or ancestor::tei:sourceDoc) and te:is-passage(.)">
      <xsl:attribute name="xml:id" select="$prefix || te:passage-id(.)"/>
    </xsl:if>
  </xsl:template>

  <!-- Copies an element under another name, with its attributes and content. -->
  <xsl:template name="te:rename">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:param name="type" as="xs:string?" select="()"/>
    <xsl:element name="{$name}">
      <xsl:call-template name="te:unit-id"/>
      <xsl:apply-templates select="@* except @change" mode="te:x"/>
      <xsl:if test="exists($type)"><xsl:attribute name="type" select="$type"/></xsl:if>
      <xsl:call-template name="te:change-attr"><xsl:with-param name="from" select="."/></xsl:call-template>
      <xsl:call-template name="te:repaired">
        <xsl:with-param name="e" select="."/>
        <xsl:with-param name="kind" select="$kind"/>
        <xsl:with-param name="what" select="$what"/>
      </xsl:call-template>
      <xsl:apply-templates select="node()" mode="te:x"/>
    </xsl:element>
  </xsl:template>

  <!-- ============================================================ letters: salute, signed, dateline -->

  <!-- Parents where these letter parts are legal (in the right position: te:block sees to that). -->
  <xsl:variable name="te:letter-part-parents" as="xs:string*" select="('opener', 'closer', 'postscript', 'div',
    'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'body', 'front', 'back', 'group', 'lg', 'floatingText', 'titlePage', 'argument')"/>

  <xsl:template match="tei:salute[te:misplaced-part(.)] | tei:signed[te:misplaced-part(.)] | tei:dateline[te:misplaced-part(.)]" mode="te:x" priority="3">
    <xsl:call-template name="te:rename">
      <xsl:with-param name="name" select="'seg'"/>
      <xsl:with-param name="type" select="local-name()"/>
      <xsl:with-param name="kind" select="'letter-part'"/>
      <xsl:with-param name="what" select="local-name() || ' inside ' || local-name(..) || ' (phrase level, where ' || local-name() || ' is not allowed) exported as seg type=&quot;' || local-name() || '&quot;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="te:misplaced-part" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/ancestor::tei:text) and not(local-name($e/..) = $te:letter-part-parents)"/>
  </xsl:function>

  <!-- ============================================================ letters: div and postscript content -->

  <xsl:template match="tei:div | tei:postscript" mode="te:x">
    <xsl:copy>
      <xsl:call-template name="te:copy-content"/>
    </xsl:copy>
  </xsl:template>

  <!-- Attributes and content of a copied element; div and postscript in the text get their content model checked. -->
  <xsl:template name="te:copy-content">
    <xsl:apply-templates select="@*" mode="te:x"/>
    <xsl:choose>
      <xsl:when test="(self::tei:div or self::tei:postscript) and ancestor::tei:text">
        <xsl:call-template name="te:repair-block">
          <xsl:with-param name="container" select="."/>
          <xsl:with-param name="kind" select="local-name()"/>
          <xsl:with-param name="units" select="te:units(node())"/>
          <xsl:with-param name="state" select="'top'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="node()" mode="te:x"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- TEI classes of the children of a div or postscript (tei_all 4.12: model.global, model.common, model.divTopPart, model.divBottomPart, model.divWrapper). -->
  <xsl:variable name="te:global-names" as="xs:string*" select="('pb', 'lb', 'cb', 'gb', 'milestone', 'fw', 'anchor', 'note', 'noteGrp',
    'gap', 'ellipsis', 'addSpan', 'damageSpan', 'delSpan', 'space', 'app', 'witDetail', 'index', 'span', 'spanGrp', 'interp', 'interpGrp',
    'substJoin', 'listTranspose', 'link', 'linkGrp', 'timeline', 'join', 'joinGrp', 'alt', 'altGrp', 'fs', 'fLib', 'fvLib', 'precision',
    'certainty', 'respons', 'figure', 'notatedMusic', 'metamark', 'pause', 'vocal', 'kinesic', 'incident', 'writing', 'shift')"/>
  <xsl:variable name="te:common-names" as="xs:string*" select="('p', 'ab', 'l', 'lg', 'sp', 'spGrp', 'graph', 'tree', 'eTree', 'forest',
    'listForest', 'list', 'listApp', 'listWit', 'table', 'label', 'q', 'quote', 'cit', 'said', 'castList', 'stage', 'bibl', 'biblStruct', 'biblFull',
    'listBibl', 'msDesc', 'listPerson', 'listPlace', 'listOrg', 'listEvent', 'listNym', 'listObject', 'listRelation', 'eg', 'egXML', 'entry', 'entryFree', 'superEntry')"/>
  <xsl:variable name="te:wrapper-names" as="xs:string*" select="('dateline', 'salute', 'byline', 'docAuthor', 'docDate', 'argument', 'epigraph', 'meeting')"/>

  <xsl:function name="te:block-cat" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="
      if ($n instance of text()) then (if (normalize-space($n)) then 'phrase' else 'ws')
      else if (not($n instance of element())) then 'ws'
      else if (namespace-uri($n) ne 'http://www.tei-c.org/ns/1.0') then 'global'
      else ($te:block-cats(local-name($n)), 'phrase')[1]"/>
  </xsl:function>
  <!-- Category of a TEI element name (one lookup instead of comparisons with every list; a name in
       two lists gets the first list's category, as the tests in that order gave). -->
  <xsl:variable name="te:block-cats" as="map(xs:string, xs:string)" select="map:merge((
      $te:global-names ! map { .: 'global' }, $te:common-names ! map { .: 'common' },
      ('head', 'opener') ! map { .: 'top' }, ('signed', 'address') ! map { .: 'either' },
      ('closer', 'trailer', 'postscript') ! map { .: 'bottom' }, $te:wrapper-names ! map { .: 'wrap' },
      ('div', 'divGen', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7') ! map { .: 'divlike' }),
    map { 'duplicates': 'use-first' })"/>

  <!-- Children as units: runs of text and phrase-level elements (with milestones between them) are one unit. -->
  <xsl:function name="te:units" as="map(*)*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:for-each-group select="$nodes" group-adjacent="te:block-cat(.) = ('phrase', 'ws', 'global')">
      <xsl:choose>
        <xsl:when test="current-grouping-key() and (some $n in current-group() satisfies te:block-cat($n) eq 'phrase')">
          <xsl:sequence select="map { 'cat': 'phrase', 'nodes': current-group() }"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="current-group()">
            <xsl:sequence select="map { 'cat': te:block-cat(.), 'nodes': . }"/>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:function>

  <!--
    The content of a div or postscript, through the states of its content model
    (top part, paragraphs, bottom part). Valid content passes unchanged.
  -->
  <xsl:template name="te:repair-block">
    <xsl:param name="container" as="element()"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="units" as="map(*)*"/>
    <xsl:param name="state" as="xs:string"/>
    <xsl:variable name="u" select="head($units)"/>
    <xsl:variable name="cat" select="string($u?cat)"/>
    <xsl:choose>
      <xsl:when test="empty($units)">
        <!-- A div may hold only its top part (e.g. an address); a postscript needs a paragraph-level element. -->
        <xsl:if test="$state eq 'top' and $kind eq 'postscript'">
          <xsl:call-template name="te:empty-ab"><xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/></xsl:call-template>
        </xsl:if>
      </xsl:when>

      <!-- Text or phrase-level elements directly in the container: an ab. -->
      <xsl:when test="$cat eq 'phrase' and $state ne 'bottom'">
        <xsl:variable name="first" select="($u?nodes[. instance of element()], $container)[1]"/>
        <ab>
          <xsl:call-template name="te:change-attr"/>
          <xsl:call-template name="te:repaired">
            <xsl:with-param name="e" select="$first"/>
            <xsl:with-param name="kind" select="'ab'"/>
            <xsl:with-param name="what" select="'text or phrase-level elements directly inside ' || $kind || ' wrapped in ab'"/>
          </xsl:call-template>
          <xsl:apply-templates select="$u?nodes" mode="te:x"/>
        </ab>
        <xsl:call-template name="te:repair-block">
          <xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/>
          <xsl:with-param name="units" select="tail($units)"/><xsl:with-param name="state" select="'body'"/>
        </xsl:call-template>
      </xsl:when>

      <!-- dateline, salute … directly in a postscript: an opener (top) or closer (bottom). -->
      <xsl:when test="$cat eq 'wrap' and $kind eq 'postscript' and $state ne 'body'">
        <xsl:variable name="stop" select="(for $i in 1 to count($units) return $i[not($units[$i]?cat = ('wrap', 'ws', 'global'))], count($units) + 1)[1]"/>
        <xsl:variable name="last-wrap" select="max(for $i in 1 to $stop - 1 return $i[$units[$i]?cat eq 'wrap'])"/>
        <xsl:variable name="wrapper" select="if ($state eq 'top') then 'opener' else 'closer'"/>
        <xsl:element name="{$wrapper}">
          <xsl:call-template name="te:change-attr"/>
          <xsl:call-template name="te:repaired">
            <xsl:with-param name="e" select="$u?nodes[1]"/>
            <xsl:with-param name="kind" select="$wrapper"/>
            <xsl:with-param name="what" select="local-name($u?nodes[1]) || ' directly inside postscript wrapped in ' || $wrapper"/>
          </xsl:call-template>
          <xsl:apply-templates select="subsequence($units, 1, $last-wrap) ! ?nodes" mode="te:x"/>
        </xsl:element>
        <xsl:call-template name="te:repair-block">
          <xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/>
          <xsl:with-param name="units" select="subsequence($units, $last-wrap + 1)"/><xsl:with-param name="state" select="$state"/>
        </xsl:call-template>
      </xsl:when>

      <xsl:when test="$state eq 'top'">
        <xsl:choose>
          <xsl:when test="$cat eq 'bottom'">
            <!-- A closing part with no paragraph-level element before it. -->
            <xsl:call-template name="te:empty-ab"><xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/></xsl:call-template>
            <xsl:call-template name="te:repair-block">
              <xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/>
              <xsl:with-param name="units" select="$units"/><xsl:with-param name="state" select="'bottom'"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="$u?nodes" mode="te:x"/>
            <xsl:call-template name="te:repair-block">
              <xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/>
              <xsl:with-param name="units" select="tail($units)"/>
              <xsl:with-param name="state" select="if ($cat eq 'common') then 'body' else 'top'"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>

      <xsl:when test="$state eq 'body' and $cat = ('ws', 'global', 'common', 'divlike')">
        <xsl:apply-templates select="$u?nodes" mode="te:x"/>
        <xsl:call-template name="te:repair-block">
          <xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/>
          <xsl:with-param name="units" select="tail($units)"/><xsl:with-param name="state" select="'body'"/>
        </xsl:call-template>
      </xsl:when>

      <xsl:when test="$state eq 'body'">
        <!-- The closing part begins. -->
        <xsl:call-template name="te:repair-block">
          <xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/>
          <xsl:with-param name="units" select="$units"/><xsl:with-param name="state" select="'bottom'"/>
        </xsl:call-template>
      </xsl:when>

      <!-- bottom: closing elements; anything that may not follow them starts a postscript. -->
      <xsl:when test="$cat = ('ws', 'global', 'either', 'bottom') or ($cat eq 'wrap' and $kind ne 'postscript')">
        <xsl:apply-templates select="$u?nodes" mode="te:x"/>
        <xsl:call-template name="te:repair-block">
          <xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="$kind"/>
          <xsl:with-param name="units" select="tail($units)"/><xsl:with-param name="state" select="'bottom'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="first" select="($u?nodes[. instance of element()], $container)[1]"/>
        <xsl:variable name="closing" select="($units[1]?nodes/preceding-sibling::*[te:block-cat(.) = ('bottom', 'either', 'wrap')])[last()]"/>
        <postscript>
          <xsl:call-template name="te:change-attr"/>
          <xsl:call-template name="te:repaired">
            <xsl:with-param name="e" select="$first"/>
            <xsl:with-param name="kind" select="'postscript'"/>
            <xsl:with-param name="what" select="(if ($u?cat eq 'phrase') then 'text' else local-name($first)) || ' after the closing part'
              || (if ($closing) then ' (' || local-name($closing) || ')' else '') || ' of ' || $kind || ' wrapped in postscript'"/>
          </xsl:call-template>
          <xsl:call-template name="te:repair-block">
            <xsl:with-param name="container" select="$container"/><xsl:with-param name="kind" select="'postscript'"/>
            <xsl:with-param name="units" select="$units"/><xsl:with-param name="state" select="'top'"/>
          </xsl:call-template>
        </postscript>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- tei_all requires a paragraph-level element in a postscript, and before the closing part of a div; the source has none. An empty ab adds no text. -->
  <xsl:template name="te:empty-ab">
    <xsl:param name="container" as="element()"/>
    <xsl:param name="kind" as="xs:string"/>
    <ab>
      <xsl:call-template name="te:change-attr"/>
      <xsl:call-template name="te:repaired">
        <xsl:with-param name="e" select="$container"/>
        <xsl:with-param name="kind" select="'empty-ab'"/>
        <xsl:with-param name="what" select="$kind || (if ($kind eq 'div') then ' with a closing part but no paragraph-level element before it' else ' without a paragraph-level element') || ' (required by tei_all) gets an empty ab'"/>
      </xsl:call-template>
    </ab>
  </xsl:template>

  <!-- ============================================================ transcription -->

  <!-- addSpan is empty (it marks where an addition begins): with content and no spanTo it is an add. -->
  <xsl:template match="tei:addSpan[node()][not(@spanTo)]" mode="te:x" priority="3">
    <xsl:call-template name="te:rename">
      <xsl:with-param name="name" select="'add'"/>
      <xsl:with-param name="kind" select="'add'"/>
      <xsl:with-param name="what" select="'addSpan with content (addSpan is empty) exported as add'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:addSpan[node()][@spanTo]" mode="te:x" priority="3">
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="te:x"/>
      <xsl:call-template name="te:repaired">
        <xsl:with-param name="e" select="."/>
        <xsl:with-param name="kind" select="'addSpan'"/>
        <xsl:with-param name="what" select="'content of addSpan (addSpan is empty) moved after it, inside the span it marks'"/>
      </xsl:call-template>
    </xsl:copy>
    <xsl:apply-templates select="node()" mode="te:x"/>
  </xsl:template>

  <!-- anchor marks a point; with content it marks a span: a seg with the same identifier and type. -->
  <xsl:template match="tei:anchor[node()]" mode="te:x" priority="3">
    <xsl:call-template name="te:rename">
      <xsl:with-param name="name" select="'seg'"/>
      <xsl:with-param name="kind" select="'anchor'"/>
      <xsl:with-param name="what" select="'anchor with content (anchor is empty) exported as seg'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ============================================================ manuscript description -->

  <xsl:variable name="te:support-order" as="xs:string*" select="('support', 'extent', 'foliation', 'collation', 'condition')"/>
  <xsl:template match="tei:supportDesc[empty(tei:p | tei:ab)][not(deep-equal(*/local-name(), sort(*/local-name(), (), function ($n) { index-of($te:support-order, $n)[1] })))]" mode="te:x" priority="3">
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="te:x"/>
      <xsl:call-template name="te:repaired">
        <xsl:with-param name="e" select="."/>
        <xsl:with-param name="kind" select="'order'"/>
        <xsl:with-param name="what" select="'children of supportDesc put in TEI order (' || string-join($te:support-order, ', ') || ')'"/>
      </xsl:call-template>
      <xsl:variable name="kids" select="*"/>
      <xsl:apply-templates select="node() except *" mode="te:x"/>
      <xsl:for-each select="$te:support-order">
        <xsl:variable name="n" select="."/>
        <xsl:apply-templates select="$kids[local-name() eq $n]" mode="te:x"/>
      </xsl:for-each>
      <xsl:apply-templates select="$kids[not(local-name() = $te:support-order)]" mode="te:x"/>
    </xsl:copy>
  </xsl:template>

  <!-- Elements desc (macro.limitedContent) allows; others are the quoted transcription the sources give there. -->
  <xsl:variable name="te:desc-allowed" as="xs:string*" select="tokenize('abbr addName address affiliation am att bibl biblFull biblStruct bloc
    camera caption castList catchwords choice cit classSpec climate code constraintSpec country dataSpec date depth desc dim dimensions distinct
    district eg elementSpec email emph eventName ex expan floatingText foreign forename genName geo geogFeat geogName gi gloss height heraldry hi
    ident idno label lang list listApp listBibl listEvent listNym listObject listOrg listPerson listPlace listRef listRelation listWit location
    locus locusGrp macroSpec material measure measureGrp mentioned moduleSpec move msDesc name nameLink num objectName objectType offset orgName
    origDate origPlace outputRendition persName persPronouns placeName population ptr q quote ref region roleName rs said secFol settlement
    signatures soCalled sound specGrp specGrpRef stage stamp state subst surname table tag tech term terrain time title trait unit val view
    watermark width', '\s+')"/>
  <xsl:template match="tei:desc/tei:*[not(local-name() = $te:desc-allowed)]" mode="te:x" priority="3">
    <quote>
      <xsl:call-template name="te:change-attr"/>
      <xsl:call-template name="te:repaired">
        <xsl:with-param name="e" select="."/>
        <xsl:with-param name="kind" select="'quote'"/>
        <xsl:with-param name="what" select="local-name() || ' inside desc (not allowed there) wrapped in quote'"/>
      </xsl:call-template>
      <xsl:next-match/>
    </quote>
  </xsl:template>

  <!-- location has no idno: the identifiers are kept in a note of the location. -->
  <xsl:template match="tei:location[tei:idno]" mode="te:x" priority="3">
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="te:x"/>
      <xsl:call-template name="te:repaired">
        <xsl:with-param name="e" select="."/>
        <xsl:with-param name="kind" select="'note'"/>
        <xsl:with-param name="what" select="'idno inside location (not allowed there) kept in a note type=&quot;idno&quot; of the location'"/>
      </xsl:call-template>
      <xsl:apply-templates select="node() except tei:idno" mode="te:x"/>
      <note type="idno">
        <xsl:call-template name="te:change-attr"/>
        <xsl:apply-templates select="tei:idno" mode="te:x"/>
      </note>
    </xsl:copy>
  </xsl:template>

  <!-- ============================================================ bibliography -->

  <!-- monogr: …, imprint, (imprint | extent | biblScope)*; pointers belong to the biblStruct. -->
  <xsl:template match="tei:monogr[tei:ref | tei:ptr | (tei:biblScope | tei:extent)[following-sibling::tei:imprint]]" mode="te:x" priority="3">
    <xsl:variable name="tail" select="tei:imprint | tei:biblScope | tei:extent"/>
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="te:x"/>
      <xsl:if test="(tei:biblScope | tei:extent)[following-sibling::tei:imprint]">
        <xsl:call-template name="te:repaired">
          <xsl:with-param name="e" select="."/>
          <xsl:with-param name="kind" select="'order'"/>
          <xsl:with-param name="what" select="'imprint of monogr put before its biblScope and extent (TEI order)'"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:apply-templates select="node() except ($tail | tei:ref | tei:ptr)" mode="te:x"/>
      <xsl:apply-templates select="tei:imprint" mode="te:x"/>
      <xsl:apply-templates select="tei:biblScope | tei:extent" mode="te:x"/>
    </xsl:copy>
  </xsl:template>
  <xsl:template match="tei:biblStruct[tei:monogr/(tei:ref | tei:ptr)]" mode="te:x" priority="3">
    <xsl:copy>
      <xsl:call-template name="te:copy-content"/>
      <xsl:for-each select="tei:monogr/(tei:ref | tei:ptr)">
        <xsl:copy>
          <xsl:apply-templates select="@*" mode="te:x"/>
          <xsl:call-template name="te:repaired">
            <xsl:with-param name="e" select="."/>
            <xsl:with-param name="kind" select="'moved'"/>
            <xsl:with-param name="what" select="local-name() || ' inside monogr (not allowed there) moved to the end of its biblStruct'"/>
          </xsl:call-template>
          <xsl:apply-templates select="node()" mode="te:x"/>
        </xsl:copy>
      </xsl:for-each>
    </xsl:copy>
  </xsl:template>
  <!-- series has no imprint: kept as a note on the series, its parts in a bibl. -->
  <xsl:template match="tei:series/tei:imprint" mode="te:x" priority="3">
    <note type="imprint">
      <xsl:call-template name="te:change-attr"/>
      <xsl:call-template name="te:repaired">
        <xsl:with-param name="e" select="."/>
        <xsl:with-param name="kind" select="'note'"/>
        <xsl:with-param name="what" select="'imprint inside series (not allowed there) exported as note type=&quot;imprint&quot; holding a bibl'"/>
      </xsl:call-template>
      <bibl>
        <xsl:apply-templates select="@*" mode="te:x"/>
        <xsl:call-template name="te:change-attr"><xsl:with-param name="from" select="."/></xsl:call-template>
        <xsl:apply-templates select="node()" mode="te:x"/>
      </bibl>
    </note>
  </xsl:template>

  <!-- ============================================================ attribute values -->

  <!-- @scribe is a name; a pointer to the scribe's entry belongs in @scribeRef. -->
  <xsl:template match="@scribe[not(. castable as xs:NCName)]" mode="te:x" priority="3">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:param name="te:mark" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="matches(., '^\s*#?[\i-[:]][\c-[:]]*\s*$') and not(../@scribeRef)">
        <xsl:attribute name="scribeRef" select="te:rewrite-pointer(normalize-space(.), $te:doc, $prefix)"/>
        <xsl:if test="$te:mark">
          <xsl:attribute name="te-m-scribeRef" select="te:rewrite-pointer(normalize-space(.), $te:doc, te:ncname($doc-id) || '.')"/>
        </xsl:if>
        <xsl:call-template name="te:repaired">
          <xsl:with-param name="e" select="."/>
          <xsl:with-param name="kind" select="'scribe'"/>
          <xsl:with-param name="what" select="'scribe=&quot;' || . || '&quot; (a pointer, not a name) exported as scribeRef'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:attribute name="scribe" select="te:ncname(normalize-space(.))"/>
        <xsl:call-template name="te:repaired">
          <xsl:with-param name="e" select="."/>
          <xsl:with-param name="kind" select="'scribe'"/>
          <xsl:with-param name="what" select="'scribe=&quot;' || . || '&quot; (not an XML name) exported as &quot;' || te:ncname(normalize-space(.)) || '&quot;'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Attributes whose datatype has no empty value (pointers, names, numbers): an empty value says nothing and is dropped. -->
  <xsl:variable name="te:non-empty-attrs" as="xs:string*" select="('facs', 'ref', 'target', 'corresp', 'sameAs', 'who', 'medium', 'quantity',
    'scribe', 'scribeRef', 'hand', 'rendition', 'ana', 'source', 'url', 'spanTo', 'synch', 'next', 'prev', 'when', 'from', 'to', 'notBefore', 'notAfter')"/>
  <xsl:template match="@*[namespace-uri() eq ''][local-name() = $te:non-empty-attrs][not(normalize-space())]" mode="te:x" priority="4">
    <xsl:call-template name="te:repaired">
      <xsl:with-param name="e" select="."/>
      <xsl:with-param name="kind" select="'empty-' || local-name()"/>
      <xsl:with-param name="what" select="'empty ' || local-name() || '=&quot;&quot; dropped'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:graphic[not(normalize-space(@url))]" mode="te:x" priority="3">
    <surface>
      <xsl:apply-templates select="@xml:id | @n" mode="te:x"/>
      <xsl:call-template name="te:change-attr"/>
      <xsl:call-template name="te:repaired">
        <xsl:with-param name="e" select="."/>
        <xsl:with-param name="kind" select="'surface'"/>
        <xsl:with-param name="what" select="'graphic without a url (required) exported as an empty surface'"/>
      </xsl:call-template>
    </surface>
  </xsl:template>
  <xsl:template match="@url[matches(normalize-space(.), '\s')]" mode="te:x" priority="3">
    <xsl:attribute name="url" select="replace(normalize-space(.), ' ', '%20')"/>
    <xsl:call-template name="te:repaired">
      <xsl:with-param name="e" select="."/>
      <xsl:with-param name="kind" select="'url'"/>
      <xsl:with-param name="what" select="'url=&quot;' || . || '&quot; (a URL has no spaces) exported with %20'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- @cert: high, medium, low, unknown or a probability. -->
  <xsl:template match="@cert[not(. = ('high', 'medium', 'low', 'unknown') or . castable as xs:double)]" mode="te:x" priority="3">
    <xsl:variable name="v" select="lower-case(normalize-space(.))"/>
    <xsl:variable name="mapped" select="if ($v = ('strong', 'sure', 'certain', 'hoch', 'sicher')) then 'high'
      else if ($v = ('weak', 'uncertain', 'niedrig', 'gering')) then 'low' else if ($v = ('middle', 'mittel')) then 'medium'
      else if ($v = ('high', 'medium', 'low', 'unknown')) then $v else ()"/>
    <xsl:if test="exists($mapped)"><xsl:attribute name="cert" select="$mapped"/></xsl:if>
    <xsl:call-template name="te:repaired">
      <xsl:with-param name="e" select="."/>
      <xsl:with-param name="kind" select="'cert'"/>
      <xsl:with-param name="what" select="'cert=&quot;' || . || '&quot; (not a TEI certainty) ' || (if (exists($mapped)) then 'exported as &quot;' || $mapped || '&quot;' else 'dropped')"/>
    </xsl:call-template>
  </xsl:template>

  <!-- supplied has no @type; its type is why the text was supplied (@reason). -->
  <xsl:template match="tei:supplied/@type" mode="te:x" priority="3">
    <xsl:if test="empty(../@reason)">
      <xsl:attribute name="reason" select="normalize-space(.)"/>
    </xsl:if>
    <xsl:call-template name="te:repaired">
      <xsl:with-param name="e" select="."/>
      <xsl:with-param name="kind" select="'reason'"/>
      <xsl:with-param name="what" select="'type=&quot;' || . || '&quot; on supplied (no such attribute) ' || (if (empty(../@reason)) then 'exported as reason' else 'dropped, the element has a reason')"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ============================================================ the change record (pass two) -->

  <xsl:mode name="te:finish" on-no-match="shallow-copy"/>
  <xsl:template match="@*[starts-with(local-name(), 'te-repair-')]" mode="te:finish"/>

  <xsl:template match="tei:TEI/tei:teiHeader | tei:teiCorpus/tei:teiHeader" mode="te:finish">
    <xsl:param name="prefix" tunnel="yes" as="xs:string"/>
    <xsl:variable name="repairs" select="..//@*[starts-with(local-name(), 'te-repair-')]"/>
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="te:finish"/>
      <xsl:choose>
        <xsl:when test="empty($repairs)">
          <xsl:apply-templates select="node()" mode="te:finish"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="change" as="element()">
            <change xml:id="{$prefix}{$te:repair-change}" type="export-repair">
              <xsl:text>The TEI export (tei-edition) repaired encodings of the source that TEI P5 (tei_all) does not allow, without changing the text; elements a repair added or renamed point here with @change.</xsl:text>
              <list>
                <xsl:for-each select="$repairs"><item><xsl:value-of select="."/></item></xsl:for-each>
              </list></change>
          </xsl:variable>
          <xsl:apply-templates select="node() except tei:revisionDesc" mode="te:finish"/>
          <xsl:choose>
            <xsl:when test="tei:revisionDesc">
              <xsl:apply-templates select="tei:revisionDesc" mode="te:finish">
                <xsl:with-param name="change" select="$change"/>
              </xsl:apply-templates>
            </xsl:when>
            <xsl:otherwise><revisionDesc><xsl:sequence select="$change"/></revisionDesc></xsl:otherwise>
          </xsl:choose>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:copy>
  </xsl:template>

  <!-- revisionDesc: (list | listChange | change+); the change goes after the last change, into the last listChange, or as an item of the list. -->
  <xsl:template match="tei:revisionDesc" mode="te:finish">
    <xsl:param name="change" as="element()?" select="()"/>
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="te:finish"/>
      <xsl:choose>
        <xsl:when test="empty($change)">
          <xsl:apply-templates select="node()" mode="te:finish"/>
        </xsl:when>
        <xsl:when test="tei:listChange">
          <xsl:variable name="last" select="tei:listChange[last()]"/>
          <xsl:apply-templates select="node() except $last" mode="te:finish"/>
          <xsl:for-each select="$last">
            <xsl:copy>
              <xsl:apply-templates select="@* | node()" mode="te:finish"/>
              <xsl:sequence select="$change"/>
            </xsl:copy>
          </xsl:for-each>
        </xsl:when>
        <xsl:when test="tei:list">
          <xsl:variable name="last" select="tei:list[last()]"/>
          <xsl:apply-templates select="node() except $last" mode="te:finish"/>
          <xsl:for-each select="$last">
            <xsl:copy>
              <xsl:apply-templates select="@* | node()" mode="te:finish"/>
              <item><xsl:sequence select="$change/@xml:id, $change/node()"/></item>
            </xsl:copy>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates select="node()" mode="te:finish"/>
          <xsl:sequence select="$change"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
