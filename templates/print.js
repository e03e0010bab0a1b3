// The printed page's page breaks (`handout render --pdf` puts this script in the page it prints).
//
// A figure is never split, so one that does not fit below the text before it moves to the next page
// and leaves a hole. Before Chromium prints, this lays the page out in columns the size of an A4
// page's text area (Chromium breaks columns as it breaks pages, honouring the same break rules) and:
// - keeps code and output blocks shorter than a fifth of a page whole (Chromium ignores `widows`
//   and `orphans` in `pre`, and would leave one line of a short output on the next page);
// - for each figure that opens a column after one more than a third empty, scales its image (or an
//   animation's grid of frames, all together) down, to 70 % of its height at least, so it fits in
//   that hole; when even 70 % does not fit, the figure opens the next page, and the paragraph before
//   it goes back to fill the hole unless it is a lead-in ending with a colon (such a sentence is
//   never left stranded at the foot of the page before, away from what it introduces); before
//   that, the figures of the page before and it are scaled down together (each to 70 % at least);
// - keeps the colophon whole and never alone on the last page, by scaling the figures before it.
// Then the page goes back to normal flow and is printed. Same layout, same decisions: the PDF stays
// the same bytes on every print. The page size and margins below are `handout.css`'s `@page`.
(function () {
  "use strict";
  var mm = 96 / 25.4;
  var pageHeight = (297 - 18 - 20) * mm; // @page margins of handout.css: 18mm top, 20mm bottom
  var pageWidth = (210 - 16 - 16) * mm;
  var maxEmpty = 0.33; // a little under the 35 % the tests allow: boxes and borders are not ink
  var minScale = 0.7;

  // The print rules of every stylesheet apply while measuring.
  function printRulesOnScreen() {
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      var rules;
      try { rules = sheet.cssRules; } catch (e) { return; }
      Array.prototype.forEach.call(rules, function (rule) {
        if (rule.media && rule.media.mediaText.indexOf("print") >= 0) {
          try { rule.media.appendMedium("screen"); } catch (e) { /* keep */ }
        }
      });
    });
  }

  function columns(root, on) {
    var s = root.style;
    s.columnWidth = on ? pageWidth + "px" : "";
    s.columnGap = on ? "0" : "";
    s.columnFill = on ? "auto" : "";
    s.height = on ? pageHeight + "px" : "";
    s.width = on ? pageWidth + "px" : "";
  }

  // The lowest bottom of what shows in each column: text, and boxes where they end (the pieces of
  // a box that continues in the next column reach down to the column's end: they do not count).
  function fill(root) {
    var origin = root.getBoundingClientRect();
    var bottoms = [];
    function add(rects) {
      Array.prototype.forEach.call(rects, function (r) {
        if (r.height <= 0 || r.width <= 0) return;
        var column = Math.floor((r.left - origin.left + 1) / pageWidth);
        var bottom = r.bottom - origin.top;
        if (!(bottoms[column] >= bottom)) bottoms[column] = bottom;
      });
    }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    var range = document.createRange();
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (!node.data.trim()) continue;
        range.selectNodeContents(node);
        add(range.getClientRects());
      } else {
        // A box split over columns: only its last piece ends where its content does.
        var rects = node.getClientRects();
        if (rects.length) add([rects[rects.length - 1]]);
      }
    }
    return { origin: origin, bottoms: bottoms };
  }

  function columnOf(element, origin) {
    return Math.floor((element.getBoundingClientRect().left - origin.left + 1) / pageWidth);
  }

  // The images a figure shows in print: its image, or an animation's grid of frames (its stack of
  // frames is hidden in print).
  function shownImages(figure) {
    return Array.prototype.filter.call(figure.querySelectorAll("img"), function (img) {
      return img.getBoundingClientRect().height > 0;
    });
  }

  // Scales the figure's images down together, the tallest 6 px at a time (the margins at the foot
  // of the page before are not known until it moves), until the figure moves up a column; at
  // `minScale` it gives up.
  function shrinkInto(figure, imgs, column, origin, first) {
    var heights = imgs.map(function (img) { return img.getBoundingClientRect().height; });
    var height = Math.max.apply(null, heights);
    function scale(s) {
      imgs.forEach(function (img, i) {
        img.style.maxHeight = s === 1 ? "" : heights[i] * s + "px";
        img.style.width = s === 1 ? "" : "auto";
      });
    }
    // The last size tried is `minScale` itself: 6 px steps from `first` stopped up to 6 px above
    // it, and 05's early-stopping figure, which fits at 70 %, left 38 % of its page empty.
    var floor = minScale * height;
    for (var target = Math.min(first, height - 6); ; target -= 6) {
      target = Math.max(target, floor);
      scale(target / height);
      if (columnOf(figure, origin) < column) {
        imgs.forEach(function (img) { img.dataset.fitted = String(Math.round((100 * target) / height)); });
        return true;
      }
      if (target <= floor) break;
    }
    scale(1);
    return false;
  }

  // The rows of a grid of images: how many distinct tops they have.
  function rows(imgs) {
    var tops = {};
    imgs.forEach(function (img) { tops[Math.round(img.getBoundingClientRect().top)] = true; });
    return Math.max(1, Object.keys(tops).length);
  }

  // The paragraph before the figure when it is kept with the figure in the figure's column (and
  // may be let go of: it does not end with a colon, as a lead-in to the figure does); nil otherwise.
  function releasable(figure, column, origin) {
    var el = figure;
    while (el.parentElement && !el.previousElementSibling) el = el.parentElement;
    var before = el.previousElementSibling;
    if (!before || before.tagName !== "P" || columnOf(before, origin) !== column) return null;
    return /[:\uFF1A]\s*$/.test(before.textContent) ? null : before;
  }

  // A figure opening a column after one more than `maxEmpty` empty: its images scaled together
  // into that space. When even `minScale` is too big, the figure opens the next page; the
  // paragraph before it, kept with it by handout.css, goes back to fill the space unless it is a
  // lead-in ending with a colon (which stays with what it introduces).
  function fitOne(root, figure) {
    var imgs = shownImages(figure);
    if (!imgs.length) return;
    var layout = fill(root);
    var column = columnOf(figure, layout.origin);
    if (column < 1) return;
    var empty = pageHeight - (layout.bottoms[column - 1] || 0);
    if (empty <= maxEmpty * pageHeight) return;
    // What must move up with it: the figure and whatever above it in its column is kept with it;
    // each row of a grid gives up its share of that.
    var need = figure.getBoundingClientRect().bottom - layout.origin.top;
    var height = Math.max.apply(null, imgs.map(function (img) { return img.getBoundingClientRect().height; }));
    if (shrinkInto(figure, imgs, column, layout.origin, height - (need - empty) / rows(imgs))) return;
    if (shrinkWithThePageBefore(root, figure, imgs, column, layout.origin)) return;
    var before = releasable(figure, column, layout.origin);
    if (!before) return;
    before.style.breakAfter = "auto";
    var after = fill(root).bottoms[column - 1] || 0;
    if (after <= (layout.bottoms[column - 1] || 0) || after > pageHeight) before.style.breakAfter = "";
    else imgs[0].dataset.fitted = "released";
  }

  // A figure that does not fit into the hole even at `minScale` moves up when the figures of the
  // page before give up some of their height too: all of them, and it, are scaled down together, a
  // tenth of the way to `minScale` at a time (04 prints on 11 pages instead of 12; 01's error
  // surface still needs more than its page 5 can give). A figure already scaled to fit is
  // left as it is; when even `minScale` for all is not enough, every one is put back.
  function shrinkWithThePageBefore(root, figure, imgs, column, origin) {
    var before = Array.prototype.filter.call(root.querySelectorAll("figure.figure"), function (other) {
      return other !== figure && columnOf(other, origin) === column - 1;
    });
    var others = [];
    before.forEach(function (other) {
      shownImages(other).forEach(function (img) { if (!img.dataset.fitted) others.push(img); });
    });
    if (!others.length) return false;
    var all = others.concat(imgs);
    var natural = all.map(function (img) { return img.getBoundingClientRect().height; });
    function scale(s) {
      all.forEach(function (img, i) {
        img.style.maxHeight = s === 1 ? "" : natural[i] * s + "px";
        img.style.width = s === 1 ? "" : "auto";
      });
    }
    for (var step = 1; step <= 10; step++) {
      var s = 1 - ((1 - minScale) * step) / 10;
      scale(s);
      if (columnOf(figure, origin) < column) {
        all.forEach(function (img) { img.dataset.fitted = String(Math.round(100 * s)); });
        return true;
      }
    }
    scale(1);
    return false;
  }

  // The colophon is never split over two pages, and never alone on the last one: when it would be,
  // the figures on the page before give it room (each down to `minScale` at least).
  function keepColophon(root) {
    var foot = root.querySelector(".colophon");
    if (!foot) return;
    var origin = root.getBoundingClientRect();
    function column(rect) { return Math.floor((rect.left - origin.left + 1) / pageWidth); }
    // The column of the last text or picture before the colophon. (The element before it is `main`,
    // which runs over several columns: its first column said nothing about where its text ends,
    // and the starter course's colophon stood alone on its last page.)
    function lastInk() {
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      var range = document.createRange();
      var found = -1;
      for (var node = walker.nextNode(); node && !foot.contains(node); node = walker.nextNode()) {
        var rects;
        if (node.nodeType === Node.TEXT_NODE) {
          if (!node.data.trim()) continue;
          range.selectNodeContents(node);
          rects = range.getClientRects();
        } else if (node.tagName === "IMG" || node.tagName === "svg") {
          rects = node.getClientRects();
        } else continue;
        for (var i = 0; i < rects.length; i++) {
          if (rects[i].width > 0 && rects[i].height > 0) found = Math.max(found, column(rects[i]));
        }
      }
      return found;
    }
    function split() {
      var rects = foot.getClientRects();
      if (rects.length < 1) return false;
      var first = column(rects[0]);
      return first !== column(rects[rects.length - 1]) || lastInk() < first;
    }
    if (!split()) return;
    var at = column(foot.getClientRects()[0]);
    var figures = Array.prototype.filter.call(root.querySelectorAll("figure.figure img"), function (img) {
      var c = columnOf(img, origin);
      return c === at || c === at - 1;
    });
    for (var step = 1; step <= 10 && split(); step++) {
      figures.forEach(function (img) {
        var natural = img.dataset.height || String(img.getBoundingClientRect().height);
        img.dataset.height = natural;
        img.style.maxHeight = Number(natural) * (1 - (0.3 * step) / 10) + "px";
        img.style.width = "auto";
      });
    }
    if (split()) {
      figures.forEach(function (img) {
        img.style.maxHeight = "";
        img.style.width = "";
      });
    }
  }

  // Chromium breaks code and output between any two lines (it does not honour `widows` and
  // `orphans` there): a block shorter than a fifth of a page is kept whole instead.
  function keepShortBlocksWhole(root) {
    root.querySelectorAll(".code, .output").forEach(function (box) {
      if (box.getBoundingClientRect().height < 0.2 * pageHeight) box.style.breakInside = "avoid";
    });
  }

  window.addEventListener("load", function () {
    var root = document.querySelector(".page");
    if (!root) return;
    printRulesOnScreen();
    columns(root, true);
    keepShortBlocksWhole(root);
    root.querySelectorAll("figure.figure").forEach(function (figure) { fitOne(root, figure); });
    keepColophon(root);
    columns(root, false);
    document.documentElement.dataset.figuresFitted = "done";
  });
})();
