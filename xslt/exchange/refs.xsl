<?xml version="1.0" encoding="UTF-8"?>
<!--
  Pointers of an exported document: which register entries it references
  (transitively, through the entries' own pointers), and how each pointer is
  rewritten so that the export is self-contained ("#id" for entries copied
  into its standOff, "<doc>.xml#id" for other exported documents).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all">

  <!-- Context document built by src/exchange/context.ts:
       <te:context><te:docs><te:doc file="a.xml" id="a"/>…</te:docs>
         <te:registers><te:register file="r.xml"><file xmlns=""><TEI>…</TEI></file></te:register>…</te:registers></te:context>
       (te: as the default namespace of the wrapper, so that no te prefix is in scope on the entries). -->
  <xsl:param name="context" as="document-node()?" select="()"/>
  <!-- File name of the source document (to resolve "self.xml#id"). -->
  <xsl:param name="source-file" as="xs:string" select="''"/>

  <!-- Attributes that hold pointers (whitespace-separated URIs). -->
  <xsl:variable name="te:pointer-attrs" as="xs:string*" select="('ref', 'corresp', 'target', 'sameAs', 'who', 'scribeRef', 'key-ref')"/>

  <!-- Only as a fallback (te:reg-entry): building a key's index walks the whole document, and the
       index lives for one transformation, so a key over $context costs every document a walk of
       every register file (~300 ms per letter with the Schnitzler place register). -->
  <xsl:key name="te:reg" match="te:registers//*[@xml:id]" use="string(@xml:id)"/>
  <xsl:key name="te:local" match="*[@xml:id]" use="string(@xml:id)"/>

  <!--
    Register lookups without a key over $context. SaxonJS indexes a document's IDs on the first
    id() call and keeps that index with the document, and the context document is parsed once per
    build (src/exchange/context.ts): so id() is a lookup. The filters keep exactly what the key
    te:reg gave: id() also finds @id attributes and whitespace-normalised values, and finds
    elements outside te:registers (te:doc/@id). A token that is not an NCName goes to the key.
  -->
  <xsl:function name="te:reg-entry" as="element()?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if ($id castable as xs:NCName)
      then (id($id, $context)[string(@xml:id) eq $id][ancestor::te:registers])[1]
      else key('te:reg', $id, $context)[1]"/>
  </xsl:function>

  <!-- The element with xml:id $id in the register file(s) named $file (first in document order). -->
  <xsl:function name="te:reg-file-entry" as="element()?">
    <xsl:param name="file" as="xs:string"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if ($id castable as xs:NCName)
      then (id($id, $context)[string(@xml:id) eq $id][ancestor::te:register[1][string(@file) eq $file][parent::te:registers]])[1]
      else ($context/te:context/te:registers/te:register[string(@file) eq $file]//*[@xml:id = $id])[1]"/>
  </xsl:function>

  <!-- The edition's documents by file name (the first of a name), once per transformation. -->
  <xsl:variable name="te:doc-files" as="map(xs:string, element())" select="map:merge(
    $context/te:context/te:docs/te:doc ! map { string(@file): . }, map { 'duplicates': 'use-first' })"/>

  <xsl:function name="te:is-entry" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e[self::tei:person or self::tei:personGrp or self::tei:place or self::tei:org
      or self::tei:event or self::tei:biblStruct or self::tei:bibl[parent::tei:listBibl]])"/>
  </xsl:function>

  <!-- The register entry a pointer token designates (not one defined in $doc), or (). -->
  <xsl:function name="te:register-target" as="element()?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="doc" as="document-node()"/>
    <xsl:variable name="parts" select="te:split-pointer($token)"/>
    <xsl:variable name="file" select="$parts[1]"/>
    <xsl:variable name="id" select="$parts[2]"/>
    <xsl:variable name="hit" as="element()?" select="
      if (empty($context) or $id eq '') then ()
      else if ($file eq '' or $file eq $source-file) then
        (if (exists(key('te:local', $id, $doc))) then () else te:reg-entry($id))
      else te:reg-file-entry($file, $id)"/>
    <xsl:sequence select="$hit/ancestor-or-self::*[te:is-entry(.)][1]"/>
  </xsl:function>

  <!--
    The register entry of every pointer token of the document, resolved once per transformation
    (the entries, the export and CMIF ask again for the same tokens): token → entry, or () for a
    token that designates none. te:target answers from it, and resolves tokens from elsewhere
    (register entries) as they come.
  -->
  <xsl:variable name="te:doc-values" as="xs:string*"
    select="distinct-values($te:doc/descendant::*/@*[local-name() = $te:pointer-attrs][namespace-uri() = ''] ! string(.))"/>
  <xsl:variable name="te:doc-tokens" as="xs:string*" select="distinct-values($te:doc-values ! te:tokens(.))"/>
  <xsl:variable name="te:doc-targets" as="map(xs:string, element()?)" select="map:merge(
    $te:doc-tokens ! map { .: te:register-target(., $te:doc) })"/>

  <!-- = te:pointers (common/functions.xsl) for a string, without a regex: normalize-space leaves single spaces. -->
  <xsl:function name="te:tokens" as="xs:string*">
    <xsl:param name="v" as="xs:string"/>
    <xsl:variable name="n" select="normalize-space($v)"/>
    <xsl:sequence select="if ($n eq '') then () else if (contains($n, ' ')) then tokenize($n, ' ') else $n"/>
  </xsl:function>
  <xsl:function name="te:target" as="element()?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="doc" as="document-node()"/>
    <xsl:sequence select="if ($doc is $te:doc and map:contains($te:doc-targets, $token)) then $te:doc-targets($token)
      else te:register-target($token, $doc)"/>
  </xsl:function>

  <!-- ("file", "id") of a pointer token; file '' for a same-document pointer; id '' when none. -->
  <xsl:function name="te:split-pointer" as="xs:string+">
    <xsl:param name="token" as="xs:string"/>
    <xsl:sequence select="
      if (starts-with($token, '#')) then ('', substring($token, 2))
      else if (matches($token, '^[^#:/?]+\.xml(#.*)?$')) then (substring-before($token || '#', '#'), substring-after($token, '#'))
      else if (matches($token, '^[\i-[:]][\c-[:]]*$')) then ('', $token)
      else ('', '')"/>
  </xsl:function>

  <!-- Every register entry the document references, closed over the entries' own pointers;
       entries nested in another selected entry are left to their ancestor. -->
  <xsl:function name="te:referenced-entries" as="element()*">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:variable name="start" select="if ($doc is $te:doc) then ($te:doc-tokens ! $te:doc-targets(.)) /. else te:targets-of($doc/*, $doc)"/>
    <xsl:variable name="all" select="te:close($start, $start, $doc, 0)"/>
    <xsl:sequence select="te:outermost($all)"/>
  </xsl:function>

  <!-- The entries (te:is-entry) of a set that no other entry of the set holds. (Only an entry can
       be in the set: the ancestors asked are those whose name can be one.) -->
  <xsl:function name="te:outermost" as="element()*">
    <xsl:param name="entries" as="element()*"/>
    <xsl:variable name="in-set" select="te:id-set($entries)"/>
    <xsl:sequence select="$entries[not(some $a in ancestor::*[self::tei:person or self::tei:personGrp or self::tei:place or self::tei:org
      or self::tei:event or self::tei:biblStruct or self::tei:bibl] satisfies map:contains($in-set, generate-id($a)))]"/>
  </xsl:function>

  <!-- A set of nodes for membership tests, generate-id() → true: `intersect` or `except` per node
       compares every pair, quadratic for a register file's thousands of entries. -->
  <xsl:function name="te:id-set" as="map(xs:string, xs:boolean)">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="map:merge($nodes ! map { generate-id(.): true() })"/>
  </xsl:function>

  <xsl:function name="te:targets-of" as="element()*">
    <xsl:param name="scope" as="element()*"/>
    <xsl:param name="doc" as="document-node()"/>
    <xsl:sequence select="(distinct-values($scope/descendant-or-self::*/@*[local-name() = $te:pointer-attrs][namespace-uri() = '']
      ! te:pointers(.)) ! te:target(., $doc)) /."/>
  </xsl:function>

  <xsl:function name="te:close" as="element()*">
    <xsl:param name="found" as="element()*"/>
    <xsl:param name="new" as="element()*"/>
    <xsl:param name="doc" as="document-node()"/>
    <xsl:param name="depth" as="xs:integer"/>
    <xsl:variable name="seen" select="te:id-set($found)"/>
    <xsl:variable name="next" select="te:targets-of($new, $doc)[not(map:contains($seen, generate-id(.)))]"/>
    <xsl:sequence select="if (empty($next) or $depth gt 50) then $found else te:close($found | $next, $next, $doc, $depth + 1)"/>
  </xsl:function>

  <!-- Rewrites one pointer token. $prefix: prefix of the document's own ids (corpus member), '' in the export. -->
  <xsl:function name="te:rewrite-pointer" as="xs:string">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="doc" as="document-node()"/>
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:sequence select="te:rewrite-pointers($token, $doc, $prefix)"/>
  </xsl:function>

  <!-- The same for several prefixes at once (one string per prefix): the token is resolved once. -->
  <xsl:function name="te:rewrite-pointers" as="xs:string*">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="doc" as="document-node()"/>
    <xsl:param name="prefixes" as="xs:string*"/>
    <xsl:variable name="parts" select="te:split-pointer($token)"/>
    <xsl:variable name="file" select="$parts[1]"/>
    <xsl:variable name="id" select="$parts[2]"/>
    <xsl:variable name="self" select="$file eq '' or $file eq $source-file"/>
    <xsl:variable name="local" select="if ($self and $id ne '') then key('te:local', $id, $doc)[1] else ()"/>
    <xsl:variable name="other-doc" select="if ($self or empty($context)) then () else $te:doc-files($file)"/>
    <xsl:sequence select="
      if (exists($local) and $local is $doc/*) then $prefixes ! ('#' || te:ncname($doc-id))
      else if (exists($local)) then $prefixes ! ('#' || . || $id)
      else if ($id ne '' and exists(te:target($token, $doc))) then $prefixes ! ('#' || $id)
      else if (exists($other-doc)) then $prefixes ! (
        if (. ne '') then '#' || te:ncname($other-doc/@id) || (if ($id ne '' and $id ne $other-doc/@id) then '.' || $id else '')
        else $other-doc/@id || '.xml' || (if ($id ne '') then '#' || $id else ''))
      else $prefixes ! $token"/>
  </xsl:function>

  <!-- An NCName made from a string (document ids may start with a digit). -->
  <xsl:function name="te:ncname" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="if (matches($s, '^[\i-[:]][\c-[:]]*$')) then $s else '_' || replace($s, '[^\c]|:', '_')"/>
  </xsl:function>
</xsl:stylesheet>
