/*
 * Runs Paged.js (loaded before this script from node_modules/pagedjs) over
 * the print edition page and reports what the PDF renderer must know.
 *
 * - Index page numbers: every mention anchor ([data-ix]) is recorded with the
 *   page it lands on; an index entry (<span data-targets="id id …">) comes
 *   after all its mentions, so when Paged.js lays it out the pages are known:
 *   they are written, de-duplicated and joined into ranges, to data-pages
 *   (shown by the stylesheet with ::after, so the entry is measured with them).
 * - Footnotes: after layout, every note call (sup[data-fn]) is checked against
 *   its note (.footnote[data-fn]); a note that did not land on the page of its
 *   call, or did not land at all, is reported (never silently accepted).
 */
(function () {
  'use strict';
  var anchorPage = new Map();

  function ranges(pages) {
    var sorted = Array.from(new Set(pages)).sort(function (a, b) { return a - b; });
    var out = [];
    for (var i = 0; i < sorted.length; i++) {
      var start = sorted[i];
      var end = start;
      while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i];
      out.push(end === start ? String(start) : start + '\u2013' + end);
    }
    return out.join(', ');
  }

  function pageOf(el) {
    var page = el.closest('.pagedjs_page');
    return page ? Number(page.dataset.pageNumber) : 0;
  }

  class EditionIndex extends Paged.Handler {
    afterPageLayout(pageElement) {
      var n = Number(pageElement.dataset.pageNumber);
      pageElement.querySelectorAll('[data-ix]').forEach(function (el) {
        var id = el.getAttribute('data-ix');
        if (!anchorPage.has(id)) anchorPage.set(id, n);
      });
    }
    renderNode(clone) {
      // A node that fits is cloned with its children: look at the clone and inside it.
      if (clone.nodeType !== 1) return;
      var targets = clone.hasAttribute('data-targets') ? [clone] : [];
      clone.querySelectorAll('[data-targets]').forEach(function (el) { targets.push(el); });
      targets.forEach(function (el) {
        var pages = [];
        el.getAttribute('data-targets').split(' ').forEach(function (id) {
          if (anchorPage.has(id)) pages.push(anchorPage.get(id));
        });
        el.setAttribute('data-pages', ranges(pages));
      });
    }
  }

  window.__teResult = (async function () {
    Paged.registerHandlers(EditionIndex);
    var previewer = new Paged.Previewer();
    var flow = await previewer.preview();
    var calls = new Map();
    document.querySelectorAll('.pagedjs_pages sup[data-fn]').forEach(function (el) {
      var key = el.getAttribute('data-fn');
      if (!calls.has(key)) calls.set(key, pageOf(el));
    });
    var notes = new Map();
    document.querySelectorAll('.pagedjs_pages .footnote[data-fn]').forEach(function (el) {
      var key = el.getAttribute('data-fn');
      if (!notes.has(key)) notes.set(key, { page: pageOf(el), inArea: !!el.closest('.pagedjs_footnote_area') });
    });
    var problems = [];
    calls.forEach(function (callPage, key) {
      var note = notes.get(key);
      if (!note) problems.push({ key: key, callPage: callPage, notePage: 0, reason: 'missing' });
      else if (!note.inArea) problems.push({ key: key, callPage: callPage, notePage: note.page, reason: 'not-floated' });
      else if (note.page !== callPage) problems.push({ key: key, callPage: callPage, notePage: note.page, reason: 'other-page' });
    });
    var unresolved = [];
    document.querySelectorAll('.pagedjs_pages [data-targets]').forEach(function (el) {
      if (!el.getAttribute('data-pages')) unresolved.push(el.getAttribute('data-targets').split(' ')[0]);
    });
    return { pages: flow.total, notes: calls.size, problems: problems, unresolved: unresolved };
  })().catch(function (error) {
    return { error: String(error && error.stack || error) };
  });
})();
