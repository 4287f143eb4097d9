<?xml version="1.0" encoding="UTF-8"?>
<!--
  Metadata of one TEI document as JSON, read by the TypeScript index stage:
  header facts (titles, responsibility, publication, source, correspondence),
  register entries the document carries, passages and notes with their
  numbers (the one numbering every format uses), mentions of names and dates.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  exclude-result-prefixes="#all">
  <!-- Only the shared functions, not common.xsl: SaxonJS prepares every template rule of a
       stylesheet (its patterns, its mode tables) again for each transformation, and the element
       family modules' ~180 rules are for rendering, which the metadata never does. -->
  <xsl:import href="../common/functions.xsl"/>
  <xsl:output method="json" indent="no"/>

  <!-- (As in common.xsl.) -->
  <xsl:param name="doc-id" as="xs:string" select="string(/*/@xml:id)"/>

  <xsl:variable name="h" select="/*/tei:teiHeader"/>
  <xsl:variable name="fd" select="$h/tei:fileDesc"/>

  <!--
    Speed notes (SaxonJS walks trees slowly: a few microseconds per node and step):
    descendant::*[self::a or self::b] instead of //(a | b) (which SaxonJS runs as one child
    step per name from every node); one ancestor walk for "not in a register list"; the
    register test computed once; page numbers without a preceding:: walk per passage.
  -->
  <xsl:variable name="is-register" as="xs:boolean" select="te:is-register(/)"/>
  <!-- Page breaks, once: a passage's page is the @n of the nearest pb before it. -->
  <xsl:variable name="pbs" as="element(tei:pb)*" select="/descendant::tei:pb"/>

  <xsl:template match="/">
    <xsl:sequence select="map {
      'id': $doc-id,
      'root': local-name(/*),
      'title': te:doc-title(/),
      'titles': array { $fd/tei:titleStmt/tei:title ! map { 'text': te:text(.), 'level': string(@level), 'type': string(@type) } },
      'lang': string((/*/tei:text/@xml:lang, /*/@xml:lang, $h/tei:profileDesc/tei:langUsage/tei:language[1]/@ident, '')[1]),
      'isRegister': $is-register,
      'textType': string((/*/tei:text/@type, '')[1]),
      'date': te:date-map(te:doc-date(/)),
      'authors': array { $fd/tei:titleStmt/tei:author ! te:agent(.) },
      'editors': array { $fd/tei:titleStmt/tei:editor ! te:agent(.) },
      'resp': array { ($fd/tei:titleStmt/tei:respStmt, $fd/tei:editionStmt/tei:respStmt) ! map {
          'resp': te:text(tei:resp), 'names': array { (tei:persName, tei:name, tei:orgName) ! te:agent(.) } } },
      'publisher': te:text($fd/tei:publicationStmt/(tei:publisher, tei:authority, tei:distributor)[1]),
      'pubPlace': te:text($fd/tei:publicationStmt/tei:pubPlace[1]),
      'pubDate': string(($fd/tei:publicationStmt/tei:date/(@when, .))[1]),
      'licence': map {
        'text': te:text(($fd/tei:publicationStmt/tei:availability/tei:licence, $fd/tei:publicationStmt/tei:availability)[1]/(tei:p[1], .)[1]),
        'url': string(($fd/tei:publicationStmt/tei:availability/tei:licence/@target)[1]) },
      'series': array { $fd/tei:seriesStmt ! map { 'title': te:text(tei:title[1]), 'ids': array { tei:idno ! te:text(.) } } },
      'idnos': array { $fd/tei:publicationStmt/tei:idno ! map { 'type': string(@type), 'value': te:text(.) } },
      'source': te:source(),
      'correspondence': array { $h/tei:profileDesc/tei:correspDesc/tei:correspAction ! map {
          'type': string(@type),
          'persons': array { (tei:persName, tei:orgName, tei:name, tei:rs) ! te:agent(.) },
          'places': array { (tei:placeName, tei:settlement) ! te:agent(.) },
          'date': te:date-map(tei:date[1]) } },
      'keywords': array { $h/tei:profileDesc/tei:textClass//tei:term ! te:text(.) },
      'entries': array { te:entries(/) },
      'passages': array { te:passages(/) ! map {
          'id': te:passage-id(.), 'n': te:passage-n(.), 'kind': local-name(),
          'page': te:page(.),
          'text': te:text(.) } },
      'notes': array { te:numbered-notes(/) ! map {
          'id': te:note-id(.), 'n': te:note-n(.), 'type': string(@type), 'place': string(@place),
          'passage': string((te:passage-of(.) ! te:passage-id(.), te:note-anchor(.) ! te:passage-of(.) ! te:passage-id(.), '')[1]),
          'text': normalize-space(.) } },
      'mentions': array { /*/tei:text/descendant::*[self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:rs or self::tei:name
            or self::tei:bibl or self::tei:title or self::tei:settlement or self::tei:country or self::tei:geogName]
          [@ref or self::tei:bibl[@corresp or tei:ptr]]
          [empty(ancestor::*[self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listBibl or self::tei:listEvent])]
          ! (let $note := string((ancestor::tei:note[1] ! te:note-id(.), '')[1]) return map {
            'refs': array { (te:pointers(@ref), te:pointers(@corresp), tei:ptr/te:pointers(@target)) },
            'element': local-name(), 'type': string(@type),
            'form': te:text(.),
            'passage': string((te:passage-of(.) ! te:passage-id(.), $note)[1]),
            'note': $note }) },
      'dates': array { /*/tei:text/descendant::*[self::tei:date or self::tei:origDate][te:date-value(.)]
          [empty(ancestor::*[self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listBibl or self::tei:listEvent])]
          ! map {
            'value': te:date-value(.), 'when': string(@when), 'from': string((@from, @notBefore)[1]), 'to': string((@to, @notAfter)[1]),
            'form': te:text(.), 'cert': string(@cert),
            'passage': string((te:passage-of(.) ! te:passage-id(.), ancestor::tei:note[1] ! te:note-id(.), '')[1]) } },
      'datelines': array { /*/tei:text/descendant::tei:dateline/descendant::tei:date ! te:date-map(.) },
      'pages': array { /*/tei:text/descendant::tei:pb ! string(@n) },
      'ids': array { distinct-values(/descendant::*/@xml:id ! string()) }
    }"/>
  </xsl:template>

  <!-- Page of a passage: = string((preceding::tei:pb[1]/@n)[1]). A pb with element children
       could be an ancestor (not preceding); only then is the axis walked. -->
  <xsl:function name="te:page" as="xs:string">
    <xsl:param name="p" as="element()"/>
    <xsl:sequence select="if (empty($pbs)) then ''
      else if (exists($pbs/*)) then string(($p/preceding::tei:pb[1]/@n)[1])
      else string(($pbs[. &lt;&lt; $p][last()]/@n)[1])"/>
  </xsl:function>

  <!-- A register file: its text holds nothing but register lists. -->
  <xsl:function name="te:is-register" as="xs:boolean">
    <xsl:param name="d" as="node()"/>
    <xsl:variable name="b" select="$d/*/tei:text/tei:body"/>
    <xsl:variable name="lists" select="$b/descendant::*[self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listEvent or self::tei:listBibl or self::tei:listNym]"/>
    <!-- Register lists and nothing else but headings: no text outside the lists. -->
    <xsl:sequence select="(exists($lists)
        and empty($b/descendant::text()[normalize-space()][empty(ancestor::*[self::tei:listPerson or self::tei:listPlace or self::tei:listOrg
            or self::tei:listEvent or self::tei:listBibl or self::tei:listNym or self::tei:head])]))
      or (empty($d/*/tei:text) and exists($d/*/tei:standOff))"/>
  </xsl:function>

  <xsl:function name="te:doc-date" as="element()?">
    <xsl:param name="d" as="node()"/>
    <xsl:variable name="h" select="$d/*/tei:teiHeader"/>
    <xsl:sequence select="(
      $h/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date,
      $h/tei:profileDesc/tei:creation/tei:date,
      $h/tei:fileDesc/tei:sourceDesc//tei:origDate,
      $h/tei:fileDesc/tei:titleStmt/tei:title[@type='iso-date'],
      $d/*/tei:text/descendant::tei:dateline/descendant::tei:date)[te:date-value(.)][1]"/>
  </xsl:function>

  <xsl:function name="te:date-map" as="map(*)?">
    <xsl:param name="d" as="element()?"/>
    <xsl:sequence select="$d ! map {
      'value': string(te:date-value(.)), 'when': string((@when, @when-iso)[1]),
      'from': string((@from, @notBefore)[1]), 'to': string((@to, @notAfter)[1]),
      'cert': string(@cert), 'text': te:text(.) }"/>
  </xsl:function>

  <xsl:function name="te:agent" as="map(*)">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="map {
      'name': te:text(if ($e/tei:persName | $e/tei:name) then ($e/tei:persName, $e/tei:name)[1] else $e),
      'ref': string(($e/@ref, $e/tei:persName/@ref, $e/tei:name/@ref, '')[1]),
      'element': local-name($e),
      'role': string(($e/@role, '')[1]) }"/>
  </xsl:function>

  <xsl:function name="te:source" as="map(*)">
    <xsl:variable name="sd" select="$fd/tei:sourceDesc"/>
    <xsl:variable name="ms" select="($sd/descendant::tei:msDesc)[1]"/>
    <xsl:variable name="locus" select="($ms/descendant::tei:locus)[1]"/>
    <xsl:variable name="mi" select="$ms/tei:msIdentifier"/>
    <xsl:sequence select="map {
      'hasMs': exists($ms),
      'country': te:text($mi/tei:country),
      'settlement': te:text($mi/tei:settlement),
      'institution': te:text($mi/tei:institution),
      'repository': te:text($mi/tei:repository),
      'repositoryRef': string(($mi/tei:repository/@ref, '')[1]),
      'repositoryAbbr': te:text(($mi/tei:altIdentifier[@type = ('abbreviated', 'short')]/tei:repository)[1]),
      'collection': te:text($mi/tei:collection[1]),
      'idnos': array { $mi/(tei:idno, tei:altIdentifier/tei:idno) ! map { 'type': string(@type), 'value': te:text(.) } },
      'locus': te:text($locus),
      'locusFrom': string(($locus/@from, '')[1]),
      'locusTo': string(($locus/@to, '')[1]),
      'witnesses': count($sd/descendant::tei:witness),
      'bibls': array { ($sd/tei:bibl, $sd/tei:listBibl/tei:bibl, $sd/tei:biblStruct, $sd/tei:listBibl/tei:biblStruct, $ms/tei:additional//tei:bibl) ! map {
          'type': string(@type), 'text': te:text(.), 'ref': string((@corresp, tei:ptr/@target, '')[1]) } },
      'text': te:text($sd/(tei:p, tei:bibl)[1])
    }"/>
  </xsl:function>

  <!-- Register entries the document holds (back, standOff, or a register file's body). -->
  <xsl:function name="te:entries" as="map(*)*">
    <xsl:param name="d" as="node()"/>
    <xsl:for-each select="$d/*/(tei:text/tei:back, tei:text/tei:body[if ($d is $te:root) then $is-register else te:is-register($d)], tei:standOff)
        /descendant::*[self::tei:person or self::tei:personGrp or self::tei:place or self::tei:org or self::tei:event or self::tei:biblStruct
          or self::tei:bibl[parent::tei:listBibl]][@xml:id]">
      <xsl:sequence select="map {
        'id': string(@xml:id),
        'kind': if (self::tei:person or self::tei:personGrp) then 'person' else if (self::tei:place) then 'place'
                else if (self::tei:org) then 'org' else if (self::tei:event) then 'event' else 'bibl',
        'type': string(@type),
        'names': array { distinct-values((tei:persName, tei:placeName, tei:orgName, tei:eventName, tei:name, tei:label, tei:title, tei:geogName, tei:settlement)[not(ancestor::tei:note)] ! te:name-text(.)) },
        'label': te:entry-label(.),
        'sortKey': te:sort-key(.),
        'note': te:text((tei:note, tei:desc, tei:occupation, tei:affiliation)),
        'notes': array { (tei:note, tei:desc, tei:occupation, tei:affiliation, tei:roleName[not(parent::tei:persName)]) ! te:text(.) },
        'idnos': array { tei:idno ! map { 'type': string(@type), 'value': te:text(.) } },
        'refs': array { (tei:location/tei:settlement/@ref, tei:location/tei:placeName/@ref, @corresp, tei:ptr/@target) ! string() },
        'bibl': if (self::tei:biblStruct or self::tei:bibl) then te:bibl-fields(.) else map {},
        'sameAs': array { te:pointers(@sameAs) },
        'parent': string((ancestor::tei:place[@xml:id][1]/@xml:id, ancestor::tei:org[@xml:id][1]/@xml:id, '')[1]),
        'line': 0
      }"/>
    </xsl:for-each>
  </xsl:function>

  <!-- Sort key of a register entry: @sortKey, else "Surname Forename" from name parts, else its label. -->
  <xsl:function name="te:sort-key" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="n" select="($e/tei:persName[tei:surname][@type = ('reg', 'pref', 'main')], $e/tei:persName[tei:surname])[1]"/>
    <xsl:sequence select="if ($e/@sortKey) then translate(string($e/@sortKey), '_', ' ')
      else if ($n) then normalize-space(te:text($n/tei:surname) || ' ' || te:text($n/tei:forename))
      else te:entry-label($e)"/>
  </xsl:function>

  <xsl:function name="te:name-text" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="if ($n/tei:surname and $n/tei:forename)
      then te:text($n/tei:forename) || ' ' || te:text($n/tei:surname) else te:text($n)"/>
  </xsl:function>

  <xsl:function name="te:entry-label" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="pref" select="($e/*[self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:eventName or self::tei:name or self::tei:label][@type = ('reg', 'pref', 'main', 'standard')],
      $e/*[self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:eventName or self::tei:name or self::tei:label or self::tei:title or self::tei:geogName or self::tei:settlement])[1]"/>
    <xsl:sequence select="if ($e/(self::tei:biblStruct | self::tei:bibl)) then te:bibl-label($e)
      else if ($pref) then te:name-text($pref) else string($e/@xml:id)"/>
  </xsl:function>

  <xsl:function name="te:bibl-label" as="xs:string">
    <xsl:param name="b" as="element()"/>
    <xsl:variable name="a" select="($b//tei:author)[1]"/>
    <xsl:variable name="t" select="($b/tei:analytic/tei:title, $b/tei:monogr/tei:title, $b/tei:title)[1]"/>
    <xsl:variable name="y" select="($b//tei:imprint/tei:date, $b/tei:date)[1]"/>
    <xsl:sequence select="string-join((te:text(($a/tei:surname, $a/tei:persName/tei:surname, $a)[1])[. ne ''], te:text($t), ($y/(@when, .))[1] ! string()), ', ')"/>
  </xsl:function>

  <xsl:function name="te:bibl-fields" as="map(*)">
    <xsl:param name="b" as="element()"/>
    <xsl:variable name="m" select="($b/tei:monogr, $b)[1]"/>
    <xsl:variable name="imp" select="($m/tei:imprint, $b)[1]"/>
    <xsl:sequence select="map {
      'type': string($b/@type),
      'analyticTitle': te:text($b/tei:analytic/tei:title[1]),
      'monogrTitle': te:text(($m/tei:title[@level = ('m', 'j', 's')], $m/tei:title)[1]),
      'monogrLevel': string(($m/tei:title[1]/@level, '')[1]),
      'titleTranslated': te:text(($b//tei:title[@type = ('translated', 'alt', 'sub')])[1]),
      'titleLang': string(($b//tei:title[1]/@xml:lang, '')[1]),
      'authors': array { ($b/tei:analytic/tei:author, if ($b/tei:analytic) then () else $m/tei:author) ! te:person-parts(.) },
      'editors': array { ($b//tei:editor) ! te:person-parts(.) },
      'volume': te:text($imp/tei:biblScope[@unit = ('volume', 'vol')] | $m/tei:biblScope[@unit = ('volume', 'vol')]),
      'issue': te:text(($imp/tei:biblScope[@unit = ('issue', 'number', 'no')] | $m/tei:biblScope[@unit = ('issue', 'number', 'no')])[1]),
      'pages': te:text(($imp/tei:biblScope[@unit = ('page', 'pp')] | $m/tei:biblScope[@unit = ('page', 'pp')] | $b/tei:citedRange[@unit = 'page'])[1]),
      'pageFrom': string((($m | $imp)/tei:biblScope[@unit = 'page']/@from, '')[1]),
      'pageTo': string((($m | $imp)/tei:biblScope[@unit = 'page']/@to, '')[1]),
      'date': string((($imp/tei:date, $b/tei:date)[1]/(@when, @notBefore, .), '')[1]),
      'dateText': te:text(($imp/tei:date, $b/tei:date)[1]),
      'publisher': te:text(($imp/tei:publisher)[1]),
      'place': te:text(($imp/tei:pubPlace)[1]),
      'series': te:text(($b/tei:series/tei:title)[1]),
      'seriesNumber': te:text(($b/tei:series/tei:biblScope)[1]),
      'note': te:text($b/tei:note),
      'idnos': array { $b//tei:idno ! map { 'type': string(@type), 'value': te:text(.) } },
      'text': te:text($b)
    }"/>
  </xsl:function>

  <xsl:function name="te:person-parts" as="map(*)">
    <xsl:param name="p" as="element()"/>
    <xsl:variable name="n" select="($p/tei:persName, $p)[1]"/>
    <xsl:sequence select="map {
      'family': te:text($n/tei:surname), 'given': te:text($n/tei:forename),
      'literal': te:text($n), 'ref': string(($p/@ref, $n/@ref, '')[1]) }"/>
  </xsl:function>
</xsl:stylesheet>
