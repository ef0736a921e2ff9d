/* "Suggest a note": a reader selects words of a document and gets a ready YAML entry for a
 * new note, anchored by the edition's own rules, to copy, or to propose on the repository.
 *
 * - A button "Suggest a note" appears below a selection in a document (`.ed-document`).
 *   Keyboard: Alt+Shift+N opens the suggestion for the current selection (the button's
 *   aria-keyshortcuts says so); Tab right after selecting moves to the button, Escape hides it.
 * - The dialog (a modal <dialog>: Escape closes it, focus and the selection come back) shows
 *   the entry, a Copy button (the clipboard API, else the selected text area) and, when
 *   mkdocs.yml sets `repo_url` (and `edit_uri`), a prefilled "new file" and "new issue" link.
 * - No request is made: everything is computed from the page.
 *
 * The quote, and the `prefix`, `suffix` or `occurrence` that single it out, follow the rules
 * of `edition new` and `edition check` (src/edition/anchoring.py, src/edition/textnorm.py):
 * ported below function by function, on code points as Python's strings count them.
 * tests/test_suggest.py checks that the page and Python agree.
 */
(function () {
  "use strict";

  var SHORTCUT = "Alt+Shift+N";
  var CONTEXT_LIMIT = 200; // DocumentText.shortest_context tries contexts of 1 to 199 characters
  var BLOCKS = ":scope > h1, :scope > h2, :scope > h3, :scope > h4, :scope > h5, :scope > h6, :scope > p";

  /* ---- textnorm.py ---------------------------------------------------------------- */

  // Python's str.isspace(), exactly (checked in tests/test_suggest.py).
  var SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
  var SPACES = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  // Python's str.isalnum(): letters and numbers (the same code points for the Unicode both know).
  var ALNUM = /^[\p{L}\p{N}]$/u;

  function isSpace(ch) { return SPACE.test(ch); }
  function isAlnum(ch) { return ch !== undefined && ALNUM.test(ch); }

  // unicodedata.combining(ch) != 0: a character with a canonical combining class above 0
  // reorders before U+0345 (class 240) in NFD; U+0F73, U+0F75 and U+0F81 (class 0) only
  // decompose into such marks.
  function isCombining(ch) {
    if (ch === "\u0345") return true;
    if (ch === "\u0f73" || ch === "\u0f75" || ch === "\u0f81") return false;
    return ("\u0345" + ch).normalize("NFD") !== "\u0345" + ch.normalize("NFD");
  }

  /** normalize_plain: NFC, every run of whitespace one space, none at the ends. */
  function normalizePlain(text) {
    return text.normalize("NFC").split(SPACES).filter(Boolean).join(" ");
  }

  function isSimple(raw) {
    return raw === raw.normalize("NFC") && raw.indexOf("  ") < 0
      && !/[\t\n\v\f\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(raw);
  }

  /** normalize: like normalizePlain but keeping edge spaces, with maps back to the raw code points. */
  function normalize(raw) {
    var chars = Array.from(raw);
    if (isSimple(raw)) return { chars: chars, starts: null, ends: null };
    var out = [], starts = [], ends = [];
    var i = 0, n = chars.length;
    while (i < n) {
      var j = i + 1;
      if (isSpace(chars[i])) {
        while (j < n && isSpace(chars[j])) j++;
        out.push(" "); starts.push(i); ends.push(j);
        i = j;
        continue;
      }
      while (j < n && isCombining(chars[j])) j++; // a starter and its combining marks
      Array.from(chars.slice(i, j).join("").normalize("NFC")).forEach(function (ch) {
        out.push(ch); starts.push(i); ends.push(j);
      });
      i = j;
    }
    return { chars: out, starts: starts, ends: ends };
  }

  /* ---- anchoring.py --------------------------------------------------------------- */

  function stripSpaces(text) {
    var a = Array.from(text), lo = 0, hi = a.length;
    while (lo < hi && isSpace(a[lo])) lo++;
    while (hi > lo && isSpace(a[hi - 1])) hi--;
    return a.slice(lo, hi).join("");
  }

  function codePoints(text) { return Array.from(text).length; }

  /** DocumentText: the blocks' text, raw and normalised, as one sequence of code points. */
  function DocumentText(blocks) {
    var self = this;
    this.blocks = blocks;
    this.normalized = blocks.map(function (block) { return normalize(block.text); });
    this.normOffsets = [];
    var chars = [];
    this.normalized.forEach(function (norm, index) {
      if (index) chars.push("\n");
      self.normOffsets.push(chars.length);
      Array.prototype.push.apply(chars, norm.chars);
    });
    this.chars = chars;
    this.text = chars.join("");
    this.cpAt = new Int32Array(this.text.length + 1); // UTF-16 index → code point index
    var unit = 0;
    chars.forEach(function (ch, cp) { self.cpAt[unit] = cp; if (ch.length === 2) self.cpAt[unit + 1] = cp; unit += ch.length; });
    this.cpAt[unit] = chars.length;
  }

  DocumentText.prototype.slice = function (lo, hi) { return this.chars.slice(lo, hi).join(""); };

  DocumentText.prototype.blockEnd = function (block) {
    return this.normOffsets[block] + this.normalized[block].chars.length;
  };

  DocumentText.prototype.blockAt = function (pos) {
    var lo = 0, hi = this.normOffsets.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (this.normOffsets[mid] <= pos) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  DocumentText.prototype.atWordEdge = function (pos) {
    var c = this.chars;
    return pos <= 0 || pos >= c.length || !(isAlnum(c[pos - 1]) && isAlnum(c[pos]));
  };

  /** find_all: every place the normalised quote occurs within one block, at word edges. */
  DocumentText.prototype.findAll = function (quote) {
    var found = [];
    if (!quote) return found;
    var length = codePoints(quote);
    var pos = this.text.indexOf(quote);
    while (pos !== -1) {
      var start = this.cpAt[pos], end = start + length;
      if (this.atWordEdge(start) && this.atWordEdge(end)) {
        found.push({ block: this.blockAt(start), start: start, end: end });
      }
      pos = this.text.indexOf(quote, pos + 1);
    }
    return found;
  };

  /** _touches: whether `context` is right before (prefix) or after (suffix) a candidate. */
  DocumentText.prototype.touches = function (candidate, side, context) {
    var length = codePoints(context);
    if (side === "prefix") {
      return this.slice(Math.max(0, candidate.start - length - 1), candidate.start).replace(/ +$/, "").endsWith(context);
    }
    return this.slice(candidate.end, candidate.end + length + 1).replace(/^ +/, "").startsWith(context);
  };

  /** _whole_words: whether [lo, hi) starts and ends at word edges (or the block's edges). */
  DocumentText.prototype.wholeWords = function (lo, hi, blockStart, blockEnd) {
    var c = this.chars;
    var startsClean = lo === blockStart || !(isAlnum(c[lo - 1]) && isAlnum(c[lo]));
    var endsClean = hi === blockEnd || !(isAlnum(c[hi - 1]) && isAlnum(c[hi]));
    return startsClean && endsClean && stripSpaces(this.slice(lo, hi)) !== "";
  };

  /** shortest_context: the shortest whole-word prefix or suffix that singles out candidates[index]. */
  DocumentText.prototype.shortestContext = function (candidates, index) {
    var self = this, target = candidates[index];
    var best = ["", ""];
    ["prefix", "suffix"].forEach(function (side) {
      var blockStart = self.normOffsets[target.block], blockEnd = self.blockEnd(target.block);
      for (var size = 1; size < CONTEXT_LIMIT; size++) {
        var lo = side === "prefix" ? Math.max(blockStart, target.start - size) : target.end;
        var hi = side === "prefix" ? target.start : Math.min(blockEnd, target.end + size);
        if (hi - lo < size) break;
        if (!self.wholeWords(lo, hi, blockStart, blockEnd)) continue;
        var context = stripSpaces(self.slice(lo, hi));
        var matching = candidates.filter(function (c) { return self.touches(c, side, context); });
        if (matching.length === 1 && matching[0] === target) {
          var shortest = best[0] || best[1];
          if (!(best[0] || best[1]) || codePoints(context) < codePoints(shortest)) {
            best = side === "prefix" ? [context, ""] : ["", context];
          }
          break;
        }
      }
    });
    return best;
  };

  /** placement: the fields that say which place a note means ({} when the quote is unique). */
  DocumentText.prototype.placement = function (candidates, index) {
    if (candidates.length === 1) return {};
    var context = this.shortestContext(candidates, index);
    if (context[0]) return { prefix: context[0] };
    if (context[1]) return { suffix: context[1] };
    return { occurrence: index + 1 };
  };

  /* ---- The page's documents ------------------------------------------------------- */

  /** The text nodes of a block as a reader sees it: not those the edition added (`data-ed-added`). */
  function textNodes(block) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (node.nodeType === 1) return node.hasAttribute("data-ed-added") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function blocksOf(wrapper) { return Array.prototype.slice.call(wrapper.querySelectorAll(BLOCKS)); }

  function label(element) {
    var id = element.id || "";
    return /^p\d+$/.test(id) ? "¶" + id.slice(1) : id || element.tagName.toLowerCase();
  }

  function documentText(elements) {
    return new DocumentText(elements.map(function (element) {
      return { label: label(element), text: textNodes(element).map(function (t) { return t.data; }).join("") };
    }));
  }

  /** Where a boundary point falls in a wrapper's blocks: { block, offset } in raw code points,
   * or null outside every block. Between blocks, a start belongs to the next, an end to the previous. */
  function locate(elements, node, offset, isEnd) {
    for (var b = 0; b < elements.length; b++) {
      var element = elements[b];
      var range = document.createRange();
      range.selectNodeContents(element);
      var where = range.comparePoint(node, offset);
      if (where === 0) {
        var count = 0, nodes = textNodes(element);
        for (var i = 0; i < nodes.length; i++) {
          var text = nodes[i];
          if (text === node) { count += codePoints(text.data.slice(0, offset)); break; }
          var after = document.createRange();
          after.setStart(text, text.data.length);
          if (after.comparePoint(node, offset) < 0) break; // the point is before this text
          count += codePoints(text.data);
        }
        return { block: b, offset: count };
      }
      if (where < 0) {
        if (isEnd && b > 0) return { block: b - 1, offset: codePoints(documentTextOf(elements[b - 1])) };
        if (!isEnd) return { block: b, offset: 0 };
        return null;
      }
    }
    if (isEnd && elements.length) {
      var last = elements.length - 1;
      return { block: last, offset: codePoints(documentTextOf(elements[last])) };
    }
    return null;
  }

  function documentTextOf(element) { return textNodes(element).map(function (t) { return t.data; }).join(""); }

  function wrapperOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest(".ed-document") : null;
  }

  /** What a selection suggests: { error } or the note's place and fields. */
  function suggestionFor(range) {
    var wrapper = wrapperOf(range.startContainer) || wrapperOf(range.endContainer);
    if (!wrapper) return null;
    if (wrapperOf(range.startContainer) !== wrapperOf(range.endContainer)) {
      return { error: "cross", wrapper: wrapper };
    }
    var elements = blocksOf(wrapper);
    var start = locate(elements, range.startContainer, range.startOffset, false);
    var end = locate(elements, range.endContainer, range.endOffset, true);
    if (!start || !end) return { error: "cross", wrapper: wrapper };
    var text = documentText(elements);
    // A selection that ends at the very start of the next block (a triple click) stays in its block.
    if (end.block === start.block + 1 && end.offset === 0) {
      end = { block: start.block, offset: codePoints(text.blocks[start.block].text) };
    }
    if (start.block === end.block - 1 && start.offset === codePoints(text.blocks[start.block].text)) {
      start = { block: end.block, offset: 0 };
    }
    if (start.block !== end.block) return { error: "cross", wrapper: wrapper };
    var block = start.block, norm = text.normalized[block], base = text.normOffsets[block];
    // The normalised characters the raw selection covers, in part or in full.
    var lo = 0, hi = norm.chars.length;
    if (norm.starts) {
      while (lo < hi && norm.ends[lo] <= start.offset) lo++;
      while (hi > lo && norm.starts[hi - 1] >= end.offset) hi--;
    } else {
      lo = Math.min(start.offset, hi);
      hi = Math.max(lo, Math.min(end.offset, hi));
    }
    while (lo < hi && isSpace(norm.chars[lo])) lo++;
    while (hi > lo && isSpace(norm.chars[hi - 1])) hi--;
    if (lo === hi) return { error: "blank", wrapper: wrapper };
    // A quote is whole words: a selection that cuts a word takes all of it.
    var first = base + lo, last = base + hi;
    while (first > base && !text.atWordEdge(first)) first--;
    while (last < text.blockEnd(block) && !text.atWordEdge(last)) last++;
    var quote = normalizePlain(text.slice(first, last));
    var candidates = text.findAll(quote);
    var index = -1;
    candidates.forEach(function (c, i) { if (c.start === first && c.end === last) index = i; });
    if (index < 0) return { error: "unanchored", wrapper: wrapper };
    return {
      wrapper: wrapper,
      document: wrapper.getAttribute("data-document") || "",
      label: text.blocks[block].label,
      quote: quote,
      count: candidates.length,
      placement: text.placement(candidates, index)
    };
  }

  /* ---- The entry ------------------------------------------------------------------ */

  /** A YAML double-quoted string: JSON's, with what YAML reads otherwise (or refuses) escaped. */
  function yamlString(value) {
    return JSON.stringify(value).replace(/[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g, function (ch) {
      return "\\u" + ("000" + ch.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  // A small BGN/PCGN-like romanisation, for ids only (an id need only be unique and readable).
  var ROMAN = { "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o",
    "ұ": "u", "ү": "u", "һ": "h" };

  /** note_slug: the quote's first five words, romanised; numbered when taken. */
  function noteSlug(quote, taken) {
    var plain = Array.from(quote.toLowerCase()).map(function (ch) { return ROMAN[ch] !== undefined ? ROMAN[ch] : ch; })
      .join("").normalize("NFKD").replace(/\p{M}/gu, "");
    var words = (plain.match(/[a-z0-9]+/g) || ["note"]).slice(0, 5);
    var base = words.join("-");
    // Not an id the edition reserves for its own anchors (loading.RESERVED_IDS).
    if (!/^[a-z]/.test(base) || /^(?:ed|md|notes)-|^all-annotations$/.test(base)) base = "note-" + base;
    var candidate = base, number = 2;
    while (taken.has(candidate)) { candidate = base + "-" + number; number++; }
    return candidate;
  }

  function takenIds() {
    var taken = new Set();
    document.querySelectorAll("[data-note]").forEach(function (e) { taken.add(e.getAttribute("data-note")); });
    document.querySelectorAll(".ed-note[id^='note-']").forEach(function (e) { taken.add(e.id.slice(5)); });
    return taken;
  }

  function entryFor(suggestion, id) {
    var lines = [
      "- id: " + id,
      "  document: " + yamlString(suggestion.document),
      "  type: context",
      "  quote: " + yamlString(suggestion.quote)
    ];
    Object.keys(suggestion.placement).forEach(function (name) {
      var value = suggestion.placement[name];
      lines.push("  " + name + ": " + (typeof value === "number" ? value : yamlString(value)));
    });
    return lines.concat([
      "  title: \"TODO: a one-line title\"",
      "  body: |",
      "    TODO: the note, in Markdown (README: data formats): what the text gets wrong",
      "    or leaves out, and how we know it.",
      "  sources: []",
      "  author: \"TODO: your name\"",
      "  status: unverified",
      "  confidence: low",
      ""
    ]).join("\n");
  }

  /* ---- Links to the repository ---------------------------------------------------- */

  function settings() {
    var element = document.getElementById("ed-suggest-config");
    var found = {};
    try { found = element ? JSON.parse(element.textContent) : {}; } catch (e) { found = {}; }
    if (!found.repo_url) { // without the template: Material's repository link, if any
      var source = document.querySelector("a.md-source");
      if (source) found.repo_url = source.href;
    }
    return found;
  }

  function trimSlashes(text) { return String(text || "").replace(/^\/+|\/+$/g, ""); }

  /** The repository's links for a new note file and a new issue, or null without `repo_url`. */
  function repositoryLinks(config, id, entry, suggestion) {
    var repo = String(config.repo_url || "").replace(/\/+$/, "");
    if (!/^https?:\/\//.test(repo)) return null;
    var links = {};
    var edit = /^(?:edit|blob|tree)\/([^/]+)\/?(.*)$/.exec(trimSlashes(config.edit_uri));
    if (edit) {
      // The docs folder sits beside mkdocs.yml (MkDocs' layout), and so do the data folders.
      var docsInRepo = trimSlashes(edit[2]);
      var root = docsInRepo.indexOf("/") >= 0 ? docsInRepo.slice(0, docsInRepo.lastIndexOf("/")) : "";
      var folder = [root, trimSlashes(config.annotations || "annotations")].filter(Boolean).join("/");
      var file = "# A note suggested from the page (" + suggestion.label + "); see README: data formats.\n" + entry;
      links.file = repo + "/new/" + encodeURIComponent(edit[1]) + "/" + folder.split("/").map(encodeURIComponent).join("/")
        + "?filename=" + encodeURIComponent(id + ".yml") + "&value=" + encodeURIComponent(file);
    }
    var short = suggestion.quote.length > 60 ? suggestion.quote.slice(0, 59) + "…" : suggestion.quote;
    var body = "A note suggested on " + suggestion.label + " of `" + suggestion.document + "`, on “" + suggestion.quote
      + "”.\n\nWhat the note should say, with its sources:\n\n\n\nThe entry for `annotations/" + id + ".yml`:\n\n```yaml\n"
      + entry + "```\n";
    links.issue = repo + "/issues/new?title=" + encodeURIComponent("Suggested note: “" + short + "”")
      + "&body=" + encodeURIComponent(body);
    return links;
  }

  /* ---- The button and the dialog -------------------------------------------------- */

  var button = null, dialog = null, savedRange = null, returnFocus = null, keyboardSelection = false;

  var WHICH = { prefix: "the words before it (prefix)", suffix: "the words after it (suffix)",
    occurrence: "its number among them (occurrence)" };

  var MESSAGES = {
    cross: "The selection crosses paragraphs. A note's quote lies within one paragraph: select words in one paragraph, then suggest a note.",
    blank: "The selection holds no words, only space. Select the words the note is about, then suggest a note.",
    unanchored: "These words cannot be quoted as they are. Select a few more words around them, then suggest a note."
  };

  function currentRange() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!wrapperOf(range.startContainer) && !wrapperOf(range.endContainer)) return null;
    return range;
  }

  function makeButton() {
    button = document.createElement("button");
    button.type = "button";
    button.className = "ed-suggest-button";
    button.textContent = "Suggest a note";
    button.setAttribute("aria-keyshortcuts", SHORTCUT);
    button.title = "Suggest a note on the selected words (" + SHORTCUT + ")";
    button.hidden = true;
    button.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the selection
    button.addEventListener("click", function () { open(currentRange() || savedRange, button); });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); hideButton(true); }
      else if (event.key === "Tab") { // on to what follows (or precedes) the selection
        var next = neighbour(savedRange, event.shiftKey);
        hideButton(false);
        if (next) { event.preventDefault(); next.focus(); }
      }
    });
    document.body.appendChild(button);
  }

  function neighbour(range, before) {
    if (!range) return null;
    var all = Array.prototype.slice.call(document.querySelectorAll(
      "a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])"))
      .filter(function (e) { return e !== button && e.offsetParent !== null && !e.closest("dialog"); });
    if (before) {
      for (var i = all.length - 1; i >= 0; i--) if (range.comparePoint(all[i], 0) < 0) return all[i];
      return null;
    }
    for (var j = 0; j < all.length; j++) if (range.comparePoint(all[j], 0) > 0) return all[j];
    return null;
  }

  function showButton(range) {
    savedRange = range.cloneRange();
    var rects = range.getClientRects();
    var rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    button.hidden = false;
    var width = button.offsetWidth, page = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(rect.right - width / 2, page - width - 8));
    button.style.left = (left + window.scrollX) + "px";
    button.style.top = (rect.bottom + window.scrollY + 8) + "px";
  }

  function hideButton(refocusText) {
    if (!button || button.hidden) return;
    var hadFocus = document.activeElement === button;
    button.hidden = true;
    if (hadFocus && refocusText) restoreSelection();
  }

  function restoreSelection() {
    if (!savedRange) return;
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(savedRange);
  }

  function onSelectionChange() {
    if (dialog && dialog.open) return;
    if (document.activeElement === button) return;
    var range = currentRange();
    if (range) showButton(range); else hideButton(false);
  }

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function makeDialog() {
    dialog = element("dialog", "ed-suggest");
    dialog.setAttribute("aria-labelledby", "ed-suggest-title");
    dialog.addEventListener("close", function () {
      restoreSelection();
      var target = returnFocus && document.contains(returnFocus) ? returnFocus : null;
      if (target === button) {
        if (savedRange) showButton(savedRange); else target = null;
      }
      if (target) target.focus(); else if (button) hideButton(false);
    });
    dialog.addEventListener("click", function (event) { // a click on the backdrop closes it
      var box = dialog.getBoundingClientRect();
      if (event.target === dialog && (event.clientX < box.left || event.clientX > box.right
          || event.clientY < box.top || event.clientY > box.bottom)) dialog.close();
    });
    document.body.appendChild(dialog);
  }

  function copy(textarea, status) {
    function fallback() {
      textarea.focus();
      textarea.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      status.textContent = done ? "Copied." : "The entry is selected: press Ctrl+C (⌘C on a Mac) to copy it.";
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(textarea.value).then(function () { status.textContent = "Copied."; }, fallback);
    } else {
      fallback();
    }
  }

  function open(range, opener) {
    if (!range) return;
    var suggestion = suggestionFor(range);
    if (!suggestion) return;
    savedRange = range.cloneRange();
    returnFocus = opener || document.activeElement;
    if (!dialog) makeDialog();
    dialog.textContent = "";
    var heading = element("h2", "ed-suggest__title", "Suggest a note");
    heading.id = "ed-suggest-title";
    dialog.appendChild(heading);
    var close = element("button", "ed-suggest__close", "Close");
    close.type = "button";
    close.addEventListener("click", function () { dialog.close(); });
    if (suggestion.error) {
      var message = element("p", "ed-suggest__message", MESSAGES[suggestion.error]);
      message.id = "ed-suggest-message";
      dialog.setAttribute("aria-describedby", "ed-suggest-message");
      dialog.appendChild(message);
      dialog.appendChild(close);
      dialog.showModal();
      close.focus();
      return;
    }
    dialog.removeAttribute("aria-describedby");
    var id = noteSlug(suggestion.quote, takenIds());
    var entry = entryFor(suggestion, id);
    var about = element("p", "ed-suggest__about");
    about.appendChild(document.createTextNode("A new note on " + suggestion.label + ": "));
    about.appendChild(element("q", null, suggestion.quote));
    var fields = Object.keys(suggestion.placement);
    about.appendChild(document.createTextNode(suggestion.count > 1
      ? ". The quote occurs " + suggestion.count + " times in the text; the entry tells this place by "
        + WHICH[fields[0]] + "." : "."));
    dialog.appendChild(about);
    var help = element("p", "ed-suggest__help",
      "Replace the TODO lines with the title, the note, its sources and your name; then copy the entry into a file of the annotations folder, or propose it below.");
    dialog.appendChild(help);
    var labelFor = element("label", "ed-suggest__label", "The entry (YAML), for annotations/" + id + ".yml");
    labelFor.htmlFor = "ed-suggest-yaml";
    dialog.appendChild(labelFor);
    var textarea = element("textarea", "ed-suggest__yaml");
    textarea.id = "ed-suggest-yaml";
    textarea.spellcheck = false;
    textarea.rows = Math.min(16, entry.split("\n").length);
    textarea.value = entry;
    dialog.appendChild(textarea);
    var actions = element("div", "ed-suggest__actions");
    var copyButton = element("button", "ed-suggest__copy md-button md-button--primary", "Copy");
    copyButton.type = "button";
    var status = element("p", "ed-suggest__status");
    status.setAttribute("role", "status");
    copyButton.addEventListener("click", function () { copy(textarea, status); });
    actions.appendChild(copyButton);
    var links = repositoryLinks(settings(), id, entry, suggestion);
    var anchors = {};
    if (links) {
      [["file", "Propose it as a file (pull request)"], ["issue", "Open an issue with it"]].forEach(function (pair) {
        if (!links[pair[0]]) return;
        var a = element("a", "ed-suggest__link ed-suggest__link--" + pair[0] + " md-button", pair[1]);
        a.href = links[pair[0]];
        a.target = "_blank";
        a.rel = "noopener";
        anchors[pair[0]] = a;
        actions.appendChild(a);
      });
      textarea.addEventListener("input", function () { // the links carry the entry as edited
        var edited = repositoryLinks(settings(), id, textarea.value, suggestion);
        Object.keys(anchors).forEach(function (key) { anchors[key].href = edited[key]; });
      });
    }
    actions.appendChild(close);
    dialog.appendChild(actions);
    dialog.appendChild(status);
    dialog.showModal();
    textarea.focus();
    textarea.setSelectionRange(0, 0);
    textarea.scrollTop = 0;
  }

  /* ---- Wiring --------------------------------------------------------------------- */

  function init() {
    if (!document.querySelector(".ed-document")) return;
    makeButton();
    var pending = null;
    document.addEventListener("selectionchange", function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(onSelectionChange, 120);
    });
    document.addEventListener("keyup", function (event) { if (event.shiftKey) keyboardSelection = true; });
    document.addEventListener("mousedown", function (event) {
      keyboardSelection = false;
      if (event.target !== button && !(dialog && dialog.contains(event.target))) hideButton(false);
    });
    document.addEventListener("keydown", function (event) {
      if (dialog && dialog.open) return;
      if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === "KeyN") {
        var range = currentRange();
        if (range) {
          event.preventDefault();
          open(range, document.activeElement === button ? button : document.activeElement);
        }
        return;
      }
      if (event.key === "Escape" && button && !button.hidden && document.activeElement !== button) {
        hideButton(false);
        return;
      }
      if (event.key === "Tab" && !event.shiftKey && button && !button.hidden && document.activeElement !== button
          && keyboardSelection && currentRange()) {
        event.preventDefault();
        savedRange = currentRange().cloneRange();
        button.focus();
      }
    });
  }

  // For the tests: the rules on a list of blocks, as the page applies them.
  window.editionSuggest = {
    normalizePlain: normalizePlain,
    normalize: normalize,
    DocumentText: DocumentText,
    documentText: function (wrapper) { return documentText(blocksOf(wrapper)); },
    suggestionFor: suggestionFor,
    entryFor: entryFor,
    noteSlug: noteSlug
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
