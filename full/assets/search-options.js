// tei-edition search: the ONE definition of how text becomes search terms,
// shared by the build (which makes the index) and the browser (which queries
// it), so that both fold case and diacritics the same way.
// "Ärzte" → "arzte", "Straße" → "strasse"; "Gottwald’s" → "gottwald", "s".

/** Fields indexed, and those stored with each result (kept small). */
export const FIELDS = ['title', 'text'];
export const STORE_FIELDS = ['t', 'd', 'k', 'n', 'u'];

/** Folds a word for matching: decomposes, drops combining marks, lowercases. */
export function fold(s) {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æ]/g, 'ae')
    .replace(/[œ]/g, 'oe')
    .replace(/[ø]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase();
}

/** Splits text into words (letters and digits of any script). */
export function tokenize(s) {
  return s.split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
}

export function processTerm(term) {
  const t = fold(term);
  return t.length ? t : null;
}

export const OPTIONS = { fields: FIELDS, storeFields: STORE_FIELDS, tokenize, processTerm, idField: 'id' };

/** Query options: all words must match; the last one may be a prefix; small typos forgiven. */
export const SEARCH_OPTIONS = {
  combineWith: 'AND',
  prefix: (term, i, terms) => i === terms.length - 1 && term.length > 2,
  fuzzy: (term) => (term.length > 5 ? 0.15 : 0),
  boost: { title: 2 },
};

/**
 * Searches an edition's index shards (search/index.json lists them: documents in
 * groups, then the register entries) and merges the hits, best score first
 * (ties: shard order, then each shard's own order). Each shard scores with its
 * own statistics, so scores are comparable but not identical to one index.
 */
export function searchShards(shards, query, options = SEARCH_OPTIONS) {
  return shards.flatMap((s) => s.search(query, options)).sort((a, b) => b.score - a.score);
}
