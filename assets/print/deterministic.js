/*
 * Loaded before Paged.js: Paged.js names footnotes and counters with UUIDs
 * made from the clock and Math.random, and those names reach the PDF (link
 * destinations). A fixed clock and a seeded generator make every rebuild of
 * a page produce the same names, so the PDF is byte-identical.
 */
(function () {
  'use strict';
  var seed = 0x2f94f967;
  Math.random = function () {
    seed = (seed + 0x6d2b79f5) | 0;
    var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  Date.prototype.getTime = function () { return 0; };
  Date.now = function () { return 0; };
  performance.now = function () { return 0; };
})();
