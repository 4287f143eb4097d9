<?xml version="1.0" encoding="UTF-8"?>
<!--
  Format-neutral functions shared by every output format: passage and note
  numbering (one definition, so web, text and print agree), reference
  splitting, date labels. No output is produced here.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all">

  <!--
    Elements that are citable passages ("¶"), unless nested in another passage or in a note.
    For elements in text or sourceDoc of the document being transformed the answer comes from
    $te:passage-map (computed once: the rule below walks every ancestor, and formats ask for
    every element); elsewhere, and for nodes of any other tree, the rule is evaluated.
    Speed: every format asks this for (nearly) every element, and SaxonJS pays a few
    microseconds for each function call, axis step and generate-id; so an element whose
    name can never be a passage (te:passage-candidate) is answered false() before anything
    else. The rule itself starts with the same name test, so the answer is unchanged.
  -->
  <xsl:function name="te:is-passage" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- (In the document being transformed the rule's answer is the te:passages accumulator's.) -->
    <xsl:sequence select="if (not(te:passage-candidate($e))) then false()
      else if (root($e) is $te:root) then exists($e/accumulator-before('te:passages')?p[. is $e])
      else te:is-passage-rule($e)"/>
  </xsl:function>

  <!--
    Passages and notes of the document being transformed, counted in ONE walk over the tree:
    an accumulator, which SaxonJS computes once per transformation on first use and keeps on
    every node. (generate-id, which the earlier maps were keyed by, costs SaxonJS a count of
    the preceding siblings of every ancestor, and formats ask for numbers and passages of
    nearly every element.) Values:
      te:passages  map { 'n': passages so far (in text or sourceDoc), 'p': the last passage that
                   started at or before the node (the one it is in, if it is in one: passages never
                   nest, because the rule excludes passage-kind ancestors, and an item holding
                   paragraphs is not a passage), 'cur': p's number, 0 when p is outside text and
                   sourceDoc (a passage by the rule, but not numbered) }
      te:notes     map { 'n': numbered notes so far, 'last': the last numbered note }
    Same numbers as before: document order, and the same selection as te:passages-rule and
    te:numbered-notes.
  -->
  <xsl:accumulator name="te:passages" as="map(*)" initial-value="map { 'n': 0 }">
    <xsl:accumulator-rule phase="start" match="(tei:p | tei:ab | tei:lg | tei:opener | tei:closer | tei:postscript | tei:item
        | tei:dateline | tei:salute | tei:signed | tei:table)[te:is-passage-rule(.)]"
      select="te:passage-start($value, .)"/>
    <!-- No rule at the end of a passage: SaxonJS tests every element against every rule of an
         accumulator (building a QName for each test), and whether a node is still inside 'p' is
         asked far less often (te:passage-of). So 'p' is the last passage started before the node. -->
  </xsl:accumulator>
  <!-- (A function: the compiled stylesheet holds a rule's select once per alternative of its match.) -->
  <xsl:function name="te:passage-start" as="map(*)">
    <xsl:param name="value" as="map(*)"/>
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="let $numbered := exists($e/ancestor::*[self::tei:text or self::tei:sourceDoc]),
                  $n := $value?n + (if ($numbered) then 1 else 0)
              return map { 'n': $n, 'p': $e, 'cur': if ($numbered) then $n else 0 }"/>
  </xsl:function>
  <xsl:accumulator name="te:notes" as="map(*)" initial-value="map { 'n': 0 }">
    <xsl:accumulator-rule phase="start" match="tei:note[ancestor::tei:text][empty(ancestor::*[self::tei:note
        or self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listBibl or self::tei:listEvent])]"
      select="map { 'n': $value?n + 1, 'last': . }"/>
  </xsl:accumulator>

  <!-- Can an element of this name be a passage at all? (A superset of te:is-passage-kind.) -->
  <xsl:function name="te:passage-candidate" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e[self::tei:p or self::tei:ab or self::tei:lg or self::tei:opener or self::tei:closer
      or self::tei:postscript or self::tei:item or self::tei:dateline or self::tei:salute or self::tei:signed or self::tei:table])"/>
  </xsl:function>

  <!-- The global context document (the one $te:passage-map numbers). -->
  <xsl:variable name="te:root" as="node()?" select="root(.)"/>

  <!--
    The rule. Its ancestor conditions are one walk up the tree (they were eight: teiHeader,
    note, standOff, the register lists, passage-kind ancestors, figure); "a passage-kind
    ancestor, except an item holding paragraphs" is the same set as before.
  -->
  <xsl:function name="te:is-passage-rule" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="
      exists($e[self::tei:p or self::tei:ab or self::tei:lg or self::tei:opener or self::tei:closer
                or self::tei:postscript
                or self::tei:item[not(descendant::*[self::tei:p or self::tei:ab])]
                or self::tei:dateline[not(ancestor::*[self::tei:opener or self::tei:closer])]
                or self::tei:salute[not(ancestor::*[self::tei:opener or self::tei:closer])]
                or self::tei:signed[not(ancestor::*[self::tei:opener or self::tei:closer])]
                or self::tei:table])
      and empty($e/ancestor::*[self::tei:teiHeader or self::tei:note or self::tei:standOff or self::tei:figure
                or self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listBibl or self::tei:listEvent
                or (te:is-passage-kind(.) and not(self::tei:item[descendant::*[self::tei:p or self::tei:ab]]))])"/>
  </xsl:function>

  <xsl:function name="te:is-passage-kind" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e[self::tei:p or self::tei:ab or self::tei:lg or self::tei:opener
      or self::tei:closer or self::tei:postscript or self::tei:item or self::tei:table
      or self::tei:dateline[not(ancestor::*[self::tei:opener or self::tei:closer])]
      or self::tei:salute[not(ancestor::*[self::tei:opener or self::tei:closer])]
      or self::tei:signed[not(ancestor::*[self::tei:opener or self::tei:closer])]])"/>
  </xsl:function>

  <!-- All passages of a document, in document order. -->
  <xsl:function name="te:passages" as="element()*">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="if ($doc is $te:root) then $te:passage-list else te:passages-rule($doc)"/>
  </xsl:function>

  <xsl:function name="te:passages-rule" as="element()*">
    <xsl:param name="doc" as="node()"/>
    <!-- = ($doc//tei:text//* | $doc//tei:sourceDoc//*)[te:is-passage-rule(.)]: one walk of the tree
         (SaxonJS runs "//x" as a child step from every node), and the name test before the rule. -->
    <xsl:sequence select="$doc/descendant::*[self::tei:text or self::tei:sourceDoc]/descendant::*[te:passage-candidate(.)][te:is-passage-rule(.)]"/>
  </xsl:function>

  <!-- Computed once per transformation: the passages of the document. -->
  <xsl:variable name="te:passage-list" as="element()*" select="te:passages-rule(/)"/>

  <!-- ¶ number: position among the document's passages (1-based), 0 for any other element.
       Appending text never renumbers earlier passages. -->
  <xsl:function name="te:passage-n" as="xs:integer">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if (root($e) is $te:root) then ($e/accumulator-before('te:passages')[?p is $e]?cur, 0)[1] else 0"/>
  </xsl:function>

  <!-- Stable identifier of a passage: its xml:id, else "par-N". -->
  <xsl:function name="te:passage-id" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if ($e/@xml:id) then string($e/@xml:id) else 'par-' || te:passage-n($e)"/>
  </xsl:function>

  <!-- Notes that get a number: every note in the text (not in the header, not in register lists). -->
  <xsl:function name="te:numbered-notes" as="element(tei:note)*">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="$doc/descendant::tei:text/descendant::tei:note[empty(ancestor::*[self::tei:note
      or self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listBibl or self::tei:listEvent])]"/>
  </xsl:function>

  <!-- Note number: one sequence per document, in document order. -->
  <xsl:function name="te:note-n" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="if (root($note) is $te:root) then ($note/accumulator-before('te:notes')[?last is $note]?n, 0)[1] else 0"/>
  </xsl:function>

  <!-- The label printed at the call: the note's own @n when given, else its number. -->
  <xsl:function name="te:note-label" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="string(te:note-n($note))"/>
  </xsl:function>

  <xsl:function name="te:note-id" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="if ($note/@xml:id) then string($note/@xml:id) else 'note-' || te:note-n($note)"/>
  </xsl:function>

  <!-- The passage that contains a node (or the empty sequence). -->
  <xsl:function name="te:passage-of" as="element()?">
    <xsl:param name="n" as="node()"/>
    <!-- In the document being transformed: the te:passages accumulator (attributes have none). -->
    <xsl:sequence select="if (root($n) is $te:root and not($n instance of attribute() or $n instance of namespace-node()))
      then (let $p := $n/accumulator-before('te:passages')?p return $p[. is $n or exists($n/ancestor::*[. is $p])])
      else ($n/ancestor-or-self::*[te:passage-candidate(.)][te:is-passage(.)])[last()]"/>
  </xsl:function>

  <xsl:key name="te:id" match="*[@xml:id]" use="@xml:id"/>

  <!--
    The anchor a note is called from, for notes kept outside the running text
    (in back, standOff or a noteGrp) that point to an anchor. A note inside the
    text is called where it stands (after its lemma), even when it also points
    to an anchor that marks the lemma's start.
  -->
  <xsl:function name="te:note-anchor" as="element(tei:anchor)?">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:if test="$note/ancestor::tei:back or $note/ancestor::tei:standOff or $note/parent::tei:noteGrp">
      <xsl:variable name="ids" select="(te:pointers($note/@target), te:pointers($note/@corresp)) ! te:ref-id(.)"/>
      <xsl:sequence select="($ids ! key('te:id', ., root($note)))[self::tei:anchor][1]"/>
    </xsl:if>
  </xsl:function>

  <!-- Splits a pointer attribute (whitespace-separated URIs). -->
  <xsl:function name="te:pointers" as="xs:string*">
    <xsl:param name="a" as="attribute()?"/>
    <xsl:sequence select="tokenize(normalize-space($a), '\s+')[. ne '']"/>
  </xsl:function>

  <!-- A pointer's local id part: "#x" → "x", "file.xml#x" → "x", "pmb50" → "pmb50" (a bare id). -->
  <xsl:function name="te:ref-id" as="xs:string">
    <xsl:param name="uri" as="xs:string"/>
    <xsl:sequence select="if (contains($uri, '#')) then substring-after($uri, '#')
      else if (matches($uri, '^[\i-[:]][\c-[:]]*$')) then $uri else ''"/>
  </xsl:function>

  <!-- Is this URI safe for an href? Only http(s), mailto, relative and fragment URIs. -->
  <xsl:function name="te:safe-uri" as="xs:boolean">
    <xsl:param name="uri" as="xs:string"/>
    <xsl:variable name="u" select="lower-case(replace($uri, '[\s\p{Cc}]', ''))"/>
    <xsl:sequence select="not(matches($u, '^[a-z][a-z0-9+.\-]*:')) or matches($u, '^(https?|mailto):')"/>
  </xsl:function>

  <!-- Machine-readable value of a date element: when, or from/to, or notBefore/notAfter. -->
  <xsl:function name="te:date-value" as="xs:string?">
    <xsl:param name="d" as="element()"/>
    <xsl:sequence select="
      if ($d/@when) then string($d/@when)
      else if ($d/@when-iso) then string($d/@when-iso)
      else if ($d/@from and $d/@to) then $d/@from || '/' || $d/@to
      else if ($d/@notBefore and $d/@notAfter) then $d/@notBefore || '/' || $d/@notAfter
      else if ($d/@notBefore) then $d/@notBefore || '/..'
      else if ($d/@notAfter) then '../' || $d/@notAfter
      else ()"/>
  </xsl:function>

  <!--
    Normalised text of a node, for titles and labels.
    Speed: building the temporary tree below costs SaxonJS far more than the string value of
    the element. When no node of the te:plain rules below can occur (no note, del, lb or choice
    in the elements, and no element that is itself a child of a choice), the plain text IS the
    string value, so that is what is returned; anything else goes through the templates.
    (A new te:plain rule for another element must be added to $te:plain-special too.)
  -->
  <xsl:variable name="te:plain-special" as="xs:QName*"
    select="('note', 'del', 'lb', 'choice') ! QName('http://www.tei-c.org/ns/1.0', .)"/>
  <xsl:function name="te:text" as="xs:string">
    <xsl:param name="n" as="node()*"/>
    <xsl:sequence select="if (every $x in $n satisfies ($x instance of element() and empty($x/parent::tei:choice)
        and empty($x/descendant-or-self::*[node-name() = $te:plain-special])))
      then normalize-space(string-join($n ! string(.), ''))
      else te:text-templates($n)"/>
  </xsl:function>
  <xsl:function name="te:text-templates" as="xs:string">
    <xsl:param name="n" as="node()*"/>
    <xsl:variable name="t">
      <xsl:apply-templates select="$n" mode="te:plain"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string($t))"/>
  </xsl:function>

  <!-- Plain text: regularised/corrected readings, no notes. -->
  <xsl:mode name="te:plain" on-no-match="text-only-copy"/>
  <xsl:template match="tei:note | tei:sic[parent::tei:choice] | tei:orig[parent::tei:choice]
      | tei:abbr[parent::tei:choice] | tei:del" mode="te:plain"/>
  <xsl:template match="tei:lb" mode="te:plain"><xsl:text> </xsl:text></xsl:template>
  <!-- Several corrected readings in one choice: the first stands. -->
  <xsl:template match="tei:choice/*[self::tei:corr or self::tei:reg or self::tei:expan][preceding-sibling::*[self::tei:corr or self::tei:reg or self::tei:expan]]" mode="te:plain" priority="2"/>
  <xsl:template match="tei:choice/tei:seg[position() gt 1]" mode="te:plain"/>

  <!--
    Archival shelfmark from msIdentifier, the way archives are cited:
    collection, then the shelfmark parts (fond/opis/delo abbreviated as
    f./op./d.), then the leaves from locus (ll. 71–72). Alternative
    identifiers are used only when there is no idno of its own.
  -->
  <xsl:function name="te:shelfmark" as="xs:string">
    <xsl:param name="mi" as="element(tei:msIdentifier)"/>
    <xsl:variable name="abbr" select="map { 'fond': 'f.', 'opis': 'op.', 'delo': 'd.', 'folio': 'fol.', 'volume': 'vol.' }"/>
    <xsl:variable name="idnos" select="if ($mi/tei:idno) then $mi/tei:idno else ($mi/tei:altIdentifier/tei:idno)[1]"/>
    <xsl:variable name="locus" select="($mi/ancestor::tei:msDesc//tei:locus)[1]"/>
    <xsl:sequence select="string-join((
      $mi/tei:collection ! te:text(.),
      $idnos ! (let $t := string(@type) return if (map:contains($abbr, $t)) then $abbr($t) || ' ' || te:text(.) else te:text(.)),
      $locus ! te:locus(.)
    )[. ne ''], ', ')"/>
  </xsl:function>

  <!-- Leaves of a locus: "ll. 71–72" from @from/@to, else its text. -->
  <xsl:function name="te:locus" as="xs:string">
    <xsl:param name="l" as="element(tei:locus)"/>
    <xsl:sequence select="if ($l/@from and $l/@to and $l/@from ne $l/@to) then 'll. ' || $l/@from || '–' || $l/@to
      else if ($l/@from) then 'l. ' || $l/@from else te:text($l)"/>
  </xsl:function>

  <!-- Label of a correspAction type, for every format (sent → From, received → To…). -->
  <xsl:function name="te:action-label" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="(map { 'sent': 'From', 'received': 'To', 'transmitted': 'Transmitted by', 'delivered': 'Delivered to',
      'forwarded': 'Forwarded', 'redirected': 'Redirected' }($type), upper-case(substring($type, 1, 1)) || substring($type, 2))[1]"/>
  </xsl:function>

  <!-- The best title of a document. -->
  <xsl:function name="te:doc-title" as="xs:string">
    <xsl:param name="doc" as="node()"/>
    <xsl:variable name="ts" select="$doc/*/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:variable name="t" select="($ts[@type='main'], $ts[@level='a'], $ts[not(@type) and not(@level)], $ts[not(@level='s' or @level='j' or @level='m')], $ts)[1]"/>
    <xsl:sequence select="if ($t) then te:text($t) else ''"/>
  </xsl:function>
</xsl:stylesheet>
