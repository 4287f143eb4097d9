/**
 * Layer 4: corpus coherence, checks no single document can make: duplicate
 * register ids across the corpus, register entries nobody refers to, one name
 * form used for two entities, header dates that disagree with the dateline.
 */
import type { VFileMessage } from 'vfile-message';
import { diagnostic } from '../diagnostics.js';
import type { DocFacts } from './collect.js';

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Which entry a pointer token designates, as `rel#id` (undefined for external URIs). */
function target(token: string, from: DocFacts, registerIndex: Map<string, string>, localIds: Set<string>, files?: Set<string>): string | undefined {
  if (ABSOLUTE.test(token)) return undefined;
  if (token.startsWith('#')) {
    const id = token.slice(1);
    if (localIds.has(id)) return `${from.rel}#${id}`;
    const reg = registerIndex.get(id);
    return reg ? `${reg}#${id}` : undefined;
  }
  const hash = token.indexOf('#');
  if (hash < 0) return undefined;
  const resolve = (base: string) => {
    try {
      return decodeURIComponent(new URL(token.slice(0, hash), base).pathname.replace(/^\/corpus\//, ''));
    } catch {
      return undefined;
    }
  };
  const relative = resolve(`file:///corpus/${from.rel}`);
  const fromRoot = resolve('file:///corpus/');
  const file = relative && files && !files.has(relative) && fromRoot && files.has(fromRoot) ? fromRoot : relative;
  return file === undefined ? undefined : `${file}#${token.slice(hash + 1)}`;
}

export function checkCoherence(facts: DocFacts[]): VFileMessage[] {
  const out: VFileMessage[] = [];
  // 1. Register ids unique across the corpus.
  const registerIndex = new Map<string, string>();
  const firstSeen = new Map<string, { rel: string; line: number }>();
  for (const f of facts) {
    if (!f.isRegister) continue;
    for (const e of f.entries) {
      const prev = firstSeen.get(e.id);
      if (prev && prev.rel !== f.rel) {
        out.push(
          diagnostic(`register id "${e.id}" is also defined in ${prev.rel}:${prev.line}: register ids must be unique across the corpus`, {
            file: f.doc.displayPath, line: e.line, column: e.column, ruleId: 'coherence-duplicate-register-id', source: 'coherence',
          }),
        );
      } else if (!prev) {
        firstSeen.set(e.id, { rel: f.rel, line: e.line });
        registerIndex.set(e.id, f.rel);
      }
    }
  }
  // 2. Register entries never referenced.
  const referenced = new Set<string>();
  const localIdsOf = new Map<DocFacts, Set<string>>();
  for (const f of facts) localIdsOf.set(f, new Set(f.ids.map((i) => i.id)));
  const files = new Set(facts.map((f) => f.rel));
  for (const f of facts) {
    const local = localIdsOf.get(f)!;
    for (const p of f.pointers) {
      for (const tok of p.value.trim().split(/\s+/)) {
        const t = tok && target(tok, f, registerIndex, local, files);
        if (t) referenced.add(t);
      }
    }
  }
  for (const f of facts) {
    if (!f.isRegister) continue;
    for (const e of f.entries) {
      if (firstSeen.get(e.id)?.rel !== f.rel) continue;
      if (!referenced.has(`${f.rel}#${e.id}`)) {
        out.push(
          diagnostic(`register entry <${e.element} xml:id="${e.id}"> is never referenced in the corpus`, {
            file: f.doc.displayPath, line: e.line, column: e.column, ruleId: 'coherence-unreferenced-entry', source: 'coherence', severity: 'warning',
          }),
        );
      }
    }
  }
  // 3. One name form, two entities.
  const byName = new Map<string, { target: string; f: DocFacts; line: number; column: number }>();
  const reported = new Set<string>();
  for (const f of facts) {
    const local = localIdsOf.get(f)!;
    for (const n of f.names) {
      const refs = n.ref.split(/\s+/).map((r) => target(r, f, registerIndex, local, files) ?? r);
      if (refs.length !== 1) continue;
      const key = `${n.element === 'rs' ? 'rs' : n.element}\u0000${n.text.toLowerCase()}`;
      const prev = byName.get(key);
      if (!prev) byName.set(key, { target: refs[0]!, f, line: n.line, column: n.column });
      // The same xml:id in two files is one entity (registers merge by id, as letter editions repeat their lists).
      else if (idOf(prev.target) !== idOf(refs[0]!) && !reported.has(`${key}\u0000${refs[0]}`)) {
        reported.add(`${key}\u0000${refs[0]}`);
        out.push(
          diagnostic(`"${n.text}" (<${n.element}>) refers to ${n.ref} here but to ${prev.target.replace(/^.*#/, '#')} in ${prev.f.rel}:${prev.line}: one name form for two entities`, {
            file: f.doc.displayPath, line: n.line, column: n.column, ruleId: 'coherence-ambiguous-name', source: 'coherence', severity: 'warning',
          }),
        );
      }
    }
  }
  // 4. Header date vs dateline (the exact @when = @when case is the Schematron rule corresp-date-dateline).
  for (const f of facts) {
    const h = f.headerDate;
    if (!h || !f.datelineDates.length) continue;
    const lo = h.when ?? h.notBefore;
    const hi = h.when ?? h.notAfter;
    if (h.when) continue;
    for (const d of f.datelineDates) {
      const n = (a: string) => a.slice(0, Math.min(a.length, d.when.length, 10));
      const tooEarly = lo !== undefined && d.when.slice(0, n(lo).length) < n(lo);
      const tooLate = hi !== undefined && d.when.slice(0, n(hi).length) > n(hi);
      if (tooEarly || tooLate) {
        out.push(
          diagnostic(`the dateline date ${d.when} lies outside the header's date (${lo ?? '…'} – ${hi ?? '…'})`, {
            file: f.doc.displayPath, line: d.line, column: d.column, ruleId: 'coherence-date-mismatch', source: 'coherence', severity: 'warning',
          }),
        );
      }
    }
  }
  return out;
}

/** The id part of a resolved target (`file.xml#id` → `id`). */
function idOf(t: string): string {
  return t.slice(t.indexOf('#') + 1);
}
