// The printed page's figure fitting (`handout render --pdf` puts this script in the page it prints).
//
// A figure is never split, so one that does not fit below the text before it moves to the next page
// and leaves a hole. Before Chromium prints, this lays the page out in columns the size of an A4
// page's text area (Chromium breaks columns as it breaks pages, honouring the same break rules),
// finds each figure that starts a column after one more than 35 % empty, and scales its image down
// (to 70 % of its height at least) so it fits in that hole; then the page goes back to normal flow.
// Same layout, same decisions: the PDF stays the same bytes on every print.
(function () {
  "use strict";
  var mm = 96 / 25.4;
  var pageHeight = (297 - 18 - 20) * mm; // @page margins of handout.css: 18mm top, 20mm bottom
  var pageWidth = (210 - 16 - 16) * mm;
  var maxEmpty = 0.35;
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

  // The lowest bottom of what shows in each column: text, images and empty elements (a box that
  // continues on the next column reaches down to the column's end, so boxes themselves do not count).
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
      } else if (!node.firstElementChild || /^(IMG|SVG|HR|CANVAS)$/i.test(node.tagName)) {
        add(node.getClientRects());
      }
    }
    return { origin: origin, bottoms: bottoms };
  }

  function fitOne(root, figure) {
    var img = figure.querySelector("img");
    if (!img || img.dataset.fitted) return false;
    var layout = fill(root);
    var box = figure.getBoundingClientRect();
    var column = Math.floor((box.left - layout.origin.left + 1) / pageWidth);
    if (column < 1) return false;
    var empty = pageHeight - (layout.bottoms[column - 1] || 0);
    if (empty <= maxEmpty * pageHeight) return false;
    // What must move up with it: the figure and whatever above it in its column is kept with it.
    var need = box.bottom - layout.origin.top;
    var height = img.getBoundingClientRect().height;
    // The margins between the last line of the page before and the moved figure are not known
    // before it moves: shrink a little more until it does, or give up at `minScale`.
    for (var target = height - (need - empty); target >= minScale * height; target -= 6) {
      if (target >= height) return false;
      img.style.maxHeight = target + "px";
      img.style.width = "auto";
      var now = figure.getBoundingClientRect();
      if (Math.floor((now.left - layout.origin.left + 1) / pageWidth) < column) {
        img.dataset.fitted = String(Math.round((100 * target) / height));
        return true;
      }
    }
    img.style.maxHeight = "";
    img.style.width = "";
    img.dataset.fitted = "no";
    return false;
  }

  window.addEventListener("load", function () {
    var root = document.querySelector(".page");
    if (!root) return;
    printRulesOnScreen();
    columns(root, true);
    root.querySelectorAll("figure.figure").forEach(function (figure) { fitOne(root, figure); });
    columns(root, false);
    document.documentElement.dataset.figuresFitted = "done";
  });
})();
