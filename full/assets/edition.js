// tei-edition reader. Without JavaScript every feature degrades to plain
// links, numbered notes with back-links and browse lists; with it:
//  - footnote calls open the note as a popover (non-modal dialog): Enter/click
//    opens and moves focus into it, Escape or "Close" closes and returns
//    focus to the call, leaving it with Tab closes it;
//  - names linked to a register show a preview of the entry on hover and on
//    keyboard focus (role=tooltip, aria-describedby; Escape hides it);
//  - a "cite" button under each paragraph number (when the cite format lists
//    per-paragraph citations) shows the citation with Copy and a permalink;
//  - reading options: original / normalised readings, page-break markers
//    (remembered in localStorage);
//  - home page: the type and correspondent filters;
//  - copy buttons (button[data-copy]).
(function () {
  'use strict';
  var doc = document;

  function store(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem('tei-edition:' + key);
      window.localStorage.setItem('tei-edition:' + key, value);
    } catch (e) { /* storage unavailable: options are per page */ }
    return null;
  }

  // ---------------------------------------------------------------- footnotes
  var open = null;

  function closePopover(restoreFocus) {
    if (!open) return;
    var call = open.call;
    open.box.remove();
    call.setAttribute('aria-expanded', 'false');
    call.removeAttribute('aria-controls');
    open = null;
    if (restoreFocus) call.focus();
  }

  // A non-modal dialog next to its trigger: Close first, then the content.
  function showPopover(trigger, name, closeLabel, nodes, extraClass) {
    closePopover(false);
    var box = doc.createElement('div');
    box.className = 'note-popover' + (extraClass ? ' ' + extraClass : '');
    box.id = 'note-popover';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', name);
    box.tabIndex = -1;
    // The Close button comes first, so Tab reaches it at once however many links the content has.
    var close = doc.createElement('button');
    close.type = 'button';
    close.className = 'note-close';
    close.textContent = 'Close';
    close.setAttribute('aria-label', closeLabel);
    close.addEventListener('click', function () { closePopover(true); });
    box.appendChild(close);
    var body = doc.createElement('div');
    body.className = 'note-popover-body';
    for (var i = 0; i < nodes.length; i++) body.appendChild(nodes[i]);
    box.appendChild(body);
    box.addEventListener('focusout', function (e) {
      if (open && open.box === box && e.relatedTarget && !box.contains(e.relatedTarget) && e.relatedTarget !== trigger) closePopover(false);
    });
    var main = doc.getElementById('main');
    main.appendChild(box);
    var r = trigger.getBoundingClientRect();
    var m = main.getBoundingClientRect();
    var width = Math.min(box.offsetWidth, m.width);
    box.style.top = (r.bottom - m.top + 6) + 'px';
    box.style.left = Math.max(0, Math.min(r.left - m.left, m.width - width)) + 'px';
    trigger.setAttribute('aria-expanded', 'true');
    trigger.setAttribute('aria-controls', box.id);
    open = { call: trigger, box: box };
    box.focus();
  }

  function openPopover(call) {
    var id = decodeURIComponent(call.getAttribute('href').slice(1));
    var note = doc.getElementById(id);
    if (!note) return false;
    var label = call.textContent.trim();
    var clone = note.cloneNode(true);
    var back = clone.querySelector('.note-back');
    if (back) back.remove();
    var ided = clone.querySelectorAll('[id]');
    for (var i = 0; i < ided.length; i++) ided[i].removeAttribute('id');
    var nodes = [];
    while (clone.firstChild) nodes.push(clone.removeChild(clone.firstChild));
    showPopover(call, 'Note ' + label, 'Close note ' + label, nodes);
    return true;
  }

  // ---------------------------------------------- cite a paragraph (¶ margin)
  // The cite format lists a citation per passage (.cite-passage-list [data-cite]);
  // each passage gets a "cite" button under its number that shows it with Copy.
  function initPassageCites() {
    var items = doc.querySelectorAll('.cite-passage-list [data-cite]');
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var passage = doc.getElementById(item.getAttribute('data-cite'));
      var pn = passage && passage.classList.contains('passage') ? passage.querySelector('a.pn') : null;
      if (!pn) continue;
      var btn = doc.createElement('button');
      btn.type = 'button';
      btn.className = 'pn-cite';
      btn.textContent = 'cite';
      btn.setAttribute('aria-label', 'Cite paragraph ' + item.getAttribute('data-n'));
      btn.setAttribute('aria-haspopup', 'dialog');
      btn.setAttribute('aria-expanded', 'false');
      btn.setAttribute('data-cite-source', item.getAttribute('data-cite'));
      pn.parentNode.insertBefore(btn, pn.nextSibling);
    }
  }

  function openCite(btn) {
    var id = btn.getAttribute('data-cite-source');
    var source = doc.querySelector('.cite-passage-list [data-cite="' + (window.CSS && CSS.escape ? CSS.escape(id) : id) + '"]');
    if (!source) return;
    var n = source.getAttribute('data-n');
    var text = doc.createElement('p');
    text.className = 'passage-citation';
    text.id = 'passage-citation-text';
    text.textContent = source.textContent;
    var copy = doc.createElement('button');
    copy.type = 'button';
    copy.setAttribute('data-copy', text.id);
    copy.textContent = 'Copy';
    var link = doc.createElement('a');
    link.href = '#' + id;
    link.textContent = 'Link to ¶' + n;
    var tools = doc.createElement('p');
    tools.appendChild(copy);
    tools.appendChild(doc.createTextNode(' '));
    tools.appendChild(link);
    showPopover(btn, 'Cite paragraph ' + n, 'Close citation of paragraph ' + n, [text, tools], 'passage-popover');
  }

  function initNotes() {
    var calls = doc.querySelectorAll('a.noteref');
    for (var i = 0; i < calls.length; i++) {
      calls[i].setAttribute('aria-haspopup', 'dialog');
      calls[i].setAttribute('aria-expanded', 'false');
    }
  }

  doc.addEventListener('click', function (e) {
    var cite = e.target.closest && e.target.closest('button.pn-cite');
    if (cite) {
      if (open && open.call === cite) closePopover(true);
      else openCite(cite);
      return;
    }
    var call = e.target.closest && e.target.closest('a.noteref');
    if (call && !call.closest('.note-popover')) {
      if (open && open.call === call) { closePopover(true); e.preventDefault(); return; }
      if (openPopover(call)) e.preventDefault();
      return;
    }
    if (open && !open.box.contains(e.target)) closePopover(false);
  });

  // ------------------------------------------------------------ name previews
  var tip = null;
  var tipFor = null;
  var hideTimer = 0;

  function showPreview(link) {
    var text = link.getAttribute('data-preview');
    if (!text) return;
    clearTimeout(hideTimer);
    if (tipFor === link) return;
    hidePreview();
    if (link.hasAttribute('title')) {
      link.setAttribute('data-title', link.getAttribute('title'));
      link.removeAttribute('title');
    }
    tip = doc.createElement('div');
    tip.className = 'name-preview';
    tip.id = 'name-preview';
    tip.setAttribute('role', 'tooltip');
    var lines = text.split('\n');
    for (var i = 0; i < lines.length; i++) {
      var p = doc.createElement('p');
      p.textContent = lines[i];
      tip.appendChild(p);
    }
    var hint = doc.createElement('p');
    hint.className = 'name-preview-hint';
    hint.textContent = 'Follow the link for the register entry.';
    tip.appendChild(hint);
    tip.addEventListener('mouseenter', function () { clearTimeout(hideTimer); });
    tip.addEventListener('mouseleave', scheduleHide);
    doc.body.appendChild(tip);
    var r = link.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + doc.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = left + 'px';
    tip.style.top = (r.bottom + window.scrollY + 4) + 'px';
    link.setAttribute('aria-describedby', tip.id);
    tipFor = link;
  }

  function hidePreview() {
    clearTimeout(hideTimer);
    if (tip) tip.remove();
    if (tipFor) {
      tipFor.removeAttribute('aria-describedby');
      if (tipFor.hasAttribute('data-title')) tipFor.setAttribute('title', tipFor.getAttribute('data-title'));
    }
    tip = null;
    tipFor = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hidePreview, 300);
  }

  function previewLink(t) {
    return t && t.closest ? t.closest('a.name-link[data-preview]') : null;
  }
  doc.addEventListener('mouseover', function (e) {
    var link = previewLink(e.target);
    if (link) showPreview(link);
  });
  doc.addEventListener('mouseout', function (e) {
    if (previewLink(e.target) && tipFor === previewLink(e.target)) scheduleHide();
  });
  doc.addEventListener('focusin', function (e) {
    var link = previewLink(e.target);
    if (link) showPreview(link);
    else if (tip && !tip.contains(e.target)) hidePreview();
  });
  doc.addEventListener('focusout', function (e) {
    if (previewLink(e.target)) hidePreview();
  });

  doc.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    if (tip) { hidePreview(); e.preventDefault(); return; }
    if (open) { closePopover(true); e.preventDefault(); }
  });

  // --------------------------------------------------------- reading options
  function addControls() {
    var text = doc.querySelector('.tei-text');
    if (!text) return;
    var bar = doc.createElement('div');
    bar.className = 'reader-controls';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', 'Reading options');
    if (doc.querySelector('.reading.orig')) bar.appendChild(readingSwitch());
    if (doc.querySelector('.pb')) bar.appendChild(toggle('hide-pb', 'Show page breaks of the original', true));
    if (bar.childNodes.length) text.parentNode.insertBefore(bar, text);
  }

  function readingSwitch() {
    var set = doc.createElement('fieldset');
    set.className = 'reading-switch';
    var legend = doc.createElement('legend');
    legend.textContent = 'Readings';
    set.appendChild(legend);
    var current = store('reading') === 'orig' ? 'orig' : 'reg';
    [['reg', 'normalised'], ['orig', 'as written']].forEach(function (o) {
      var label = doc.createElement('label');
      var radio = doc.createElement('input');
      radio.type = 'radio';
      radio.name = 'reading';
      radio.value = o[0];
      radio.checked = current === o[0];
      radio.addEventListener('change', function () {
        if (!radio.checked) return;
        doc.body.classList.toggle('show-orig', o[0] === 'orig');
        store('reading', o[0]);
      });
      label.appendChild(radio);
      label.appendChild(doc.createTextNode(' ' + o[1]));
      set.appendChild(label);
    });
    doc.body.classList.toggle('show-orig', current === 'orig');
    return set;
  }

  // A checkbox that is checked when the body class is ABSENT (inverted) or present.
  function toggle(cls, label, inverted) {
    var wrap = doc.createElement('label');
    var box = doc.createElement('input');
    box.type = 'checkbox';
    var on = store(cls) === '1';
    doc.body.classList.toggle(cls, on);
    box.checked = inverted ? !on : on;
    box.addEventListener('change', function () {
      var active = inverted ? !box.checked : box.checked;
      doc.body.classList.toggle(cls, active);
      store(cls, active ? '1' : '0');
    });
    wrap.appendChild(box);
    wrap.appendChild(doc.createTextNode(' ' + label));
    return wrap;
  }

  // ------------------------------------------------------ home page filters
  function initFilters() {
    var form = doc.querySelector('form.facet-filters');
    if (!form) return;
    var rows = doc.querySelectorAll('table.documents tbody tr');
    var selects = form.querySelectorAll('select[data-facet]');
    var status = form.querySelector('.filter-status');
    function apply() {
      var wanted = [];
      for (var i = 0; i < selects.length; i++) if (selects[i].value) wanted.push(selects[i].value);
      var shown = 0;
      for (var j = 0; j < rows.length; j++) {
        var keys = ' ' + (rows[j].getAttribute('data-facets') || '') + ' ';
        var ok = wanted.every(function (w) { return keys.indexOf(' ' + w + ' ') >= 0; });
        rows[j].hidden = !ok;
        if (ok) shown++;
      }
      status.textContent = wanted.length ? shown + ' of ' + rows.length + ' documents shown.' : '';
    }
    form.addEventListener('change', apply);
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  // ------------------------------------------------------------ copy buttons
  doc.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('button[data-copy]');
    if (!btn) return;
    var src = doc.getElementById(btn.getAttribute('data-copy'));
    if (!src || !navigator.clipboard) return;
    var label = btn.textContent;
    navigator.clipboard.writeText(src.textContent).then(function () {
      btn.textContent = 'Copied';
      setTimeout(function () { btn.textContent = label; }, 1500);
    });
  });

  function init() {
    doc.documentElement.classList.add('js');
    initNotes();
    initPassageCites();
    addControls();
    initFilters();
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})();
// Other modules may append their own clearly delimited blocks below this line.
