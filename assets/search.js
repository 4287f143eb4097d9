// tei-edition search page: loads the static index built at build time
// (search/index.json lists its shards; each is a MiniSearch index) and queries
// it in the browser. No server process; the term processing and the merging of
// the shards' hits are the build's own (search-options.js).
import MiniSearch from './minisearch.js';
import { OPTIONS, SEARCH_OPTIONS, searchShards } from './search-options.js';

const KINDS = { p: 'Passage', n: 'Note', d: 'Document', r: 'Register', b: 'Bibliography' };
const PAGE = 50;

const form = document.getElementById('search-form');
const input = document.getElementById('search-input');
const status = document.getElementById('search-status');
const list = document.getElementById('search-results');
const more = document.getElementById('search-more');
const indexUrl = document.body.getAttribute('data-search-index');

let index = null;
let loading = null;
let results = [];
let shown = 0;

function load() {
  if (index) return Promise.resolve(index);
  if (!loading) {
    status.textContent = 'Loading the search index…';
    const text = (url) =>
      fetch(url).then((r) => {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      });
    const manifest = new URL(indexUrl, location.href);
    loading = text(manifest)
      .then((json) => Promise.all(JSON.parse(json).shards.map((shard) => text(new URL(shard.file + '?v=' + encodeURIComponent(shard.hash), manifest)).then((s) => MiniSearch.loadJSON(s, OPTIONS)))))
      .then((shards) => (index = { search: (q, o) => searchShards(shards, q, o) }));
  }
  return loading;
}

function item(r) {
  const li = document.createElement('li');
  li.className = 'search-result kind-' + r.k;
  const a = document.createElement('a');
  a.href = r.u;
  a.textContent = r.t;
  li.appendChild(a);
  const where = document.createElement('span');
  where.className = 'result-where';
  where.textContent = ' — ' + (KINDS[r.k] || '') + (r.n ? ' ' + r.n : '');
  li.appendChild(where);
  return li;
}

function showMore() {
  const end = Math.min(results.length, shown + PAGE);
  for (; shown < end; shown++) list.appendChild(item(results[shown]));
  more.hidden = shown >= results.length;
}

function run(q, focusResults) {
  list.textContent = '';
  results = [];
  shown = 0;
  more.hidden = true;
  if (!q.trim()) {
    status.textContent = '';
    return Promise.resolve();
  }
  return load().then(
    (ix) => {
      results = ix.search(q, SEARCH_OPTIONS);
      status.textContent = results.length
        ? results.length + (results.length === 1 ? ' result' : ' results') + ' for “' + q + '”'
        : 'No results for “' + q + '”';
      showMore();
      if (focusResults && results.length) list.querySelector('a').focus();
    },
    (err) => {
      status.textContent = 'The search index could not be loaded (' + err.message + ').';
    },
  );
}

form.hidden = false;
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = input.value;
  const url = new URL(location.href);
  if (q.trim()) url.searchParams.set('q', q);
  else url.searchParams.delete('q');
  history.replaceState(null, '', url);
  run(q, false);
});
more.addEventListener('click', () => {
  const first = shown;
  showMore();
  const a = list.children[first] && list.children[first].querySelector('a');
  if (a) a.focus();
});
const initial = new URL(location.href).searchParams.get('q');
if (initial) {
  input.value = initial;
  run(initial, false);
}
