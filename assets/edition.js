// tei-edition reader: footnote popovers (keyboard and screen-reader friendly),
// reading switch (original / normalised), page-break toggle, copy buttons.
// Without JavaScript every feature degrades to plain links and numbered notes.
(function () {
  'use strict';
  var doc = document;
  var open = null;

  function closePopover(restoreFocus) {
    if (!open) return;
    var call = open.call;
    open.box.remove();
    call.setAttribute('aria-expanded', 'false');
    open = null;
    if (restoreFocus) call.focus();
  }

  function openPopover(call) {
    var id = decodeURIComponent(call.getAttribute('href').slice(1));
    var note = doc.getElementById(id);
    if (!note) return false;
    closePopover(false);
    var box = doc.createElement('div');
    box.className = 'note-popover';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Note ' + call.textContent.trim());
    box.tabIndex = -1;
    var clone = note.cloneNode(true);
    clone.removeAttribute('id');
    var back = clone.querySelector('.note-back');
    if (back) back.remove();
    while (clone.firstChild) box.appendChild(clone.firstChild);
    var close = doc.createElement('button');
    close.type = 'button';
    close.className = 'note-close';
    close.textContent = 'Close';
    close.addEventListener('click', function () { closePopover(true); });
    box.appendChild(close);
    var main = doc.getElementById('main');
    main.appendChild(box);
    var r = call.getBoundingClientRect();
    var m = main.getBoundingClientRect();
    box.style.top = (r.bottom - m.top + 6) + 'px';
    box.style.left = Math.max(0, Math.min(r.left - m.left, m.width - 320)) + 'px';
    call.setAttribute('aria-expanded', 'true');
    open = { call: call, box: box };
    box.focus();
    return true;
  }

  doc.addEventListener('click', function (e) {
    var call = e.target.closest && e.target.closest('a.noteref');
    if (call) {
      if (open && open.call === call) { closePopover(true); e.preventDefault(); return; }
      if (openPopover(call)) e.preventDefault();
      return;
    }
    if (open && !open.box.contains(e.target)) closePopover(false);
  });
  doc.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && open) { closePopover(true); e.preventDefault(); }
  });

  function addControls() {
    var text = doc.querySelector('.tei-text');
    if (!text) return;
    var bar = doc.createElement('div');
    bar.className = 'reader-controls';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', 'Reading options');
    if (doc.querySelector('.reading.orig')) bar.appendChild(toggle('show-orig', 'Show original readings'));
    if (doc.querySelector('.pb')) bar.appendChild(toggle('hide-pb', 'Hide page breaks'));
    if (bar.childNodes.length) text.parentNode.insertBefore(bar, text);
  }

  function toggle(cls, label) {
    var wrap = doc.createElement('label');
    var box = doc.createElement('input');
    box.type = 'checkbox';
    box.addEventListener('change', function () { doc.body.classList.toggle(cls, box.checked); });
    wrap.appendChild(box);
    wrap.appendChild(doc.createTextNode(' ' + label));
    return wrap;
  }

  doc.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('button[data-copy]');
    if (!btn) return;
    var src = doc.getElementById(btn.getAttribute('data-copy'));
    if (!src || !navigator.clipboard) return;
    navigator.clipboard.writeText(src.textContent).then(function () {
      btn.textContent = 'Copied';
      setTimeout(function () { btn.textContent = 'Copy'; }, 1500);
    });
  });

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', addControls);
  else addControls();
})();
