/* The annotated edition's reading tools, layered on the static page.
 *
 * Without JavaScript the page already works: markers are links to numbered endnotes,
 * and each endnote links back. This script adds:
 *  - a popover (a labelled, non-modal dialog) that shows a note next to its marker,
 *    opened by click or Enter, closed by Escape (focus returns to the marker), with
 *    previous/next buttons;
 *  - deep links: #note-<id> opens that note;
 *  - a "clean text" toggle and a filter by annotation type, remembered across visits;
 *  - the reporter's questions as a table of contents, and a map of where the notes fall, a
 *    list of links that is one tab stop (arrow keys move along it, Enter opens a note,
 *    Escape from the note comes back to the map).
 */
(function () {
  "use strict";

  var STORE = "edition:";
  var popover = null;
  var current = null; // { id, marker, fromMap }

  function store(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem(STORE + key);
      window.localStorage.setItem(STORE + key, value);
    } catch (e) { /* storage may be disabled */ }
    return null;
  }

  /* The marks of a note's passage, by its id (a mark covered by several notes lists them all). */
  function marksOf(id) {
    return Array.prototype.filter.call(document.querySelectorAll(".ed-document mark.ed-hl"), function (mark) {
      return (mark.getAttribute("data-notes") || "").split(" ").indexOf(id) >= 0;
    });
  }

  /* Highlights the passage of the note(s) `ids` with `className` (only those), or none. */
  function light(className, ids) {
    document.querySelectorAll("mark." + className).forEach(function (mark) { mark.classList.remove(className); });
    (ids || []).forEach(function (id) {
      marksOf(id).forEach(function (mark) { mark.classList.add(className); });
    });
  }

  /* The note(s) an element of the text stands for: a marker's, or a passage's. */
  function notesAt(element) {
    var marker = element.closest && element.closest(".ed-document .ed-marker, .ed-map__tick");
    if (marker) return [marker.getAttribute("data-note")];
    var mark = element.closest && element.closest(".ed-document mark.ed-hl");
    if (mark && !mark.classList.contains("ed-off")) return (mark.getAttribute("data-notes") || "").split(" ");
    return null;
  }

  /* The notes (shown) that share words with note `id`, itself included, in the text's order. */
  function passageGroup(id) {
    var group = [id];
    marksOf(id).forEach(function (mark) {
      mark.getAttribute("data-notes").split(" ").forEach(function (other) {
        var m = markerFor(other);
        if (group.indexOf(other) < 0 && m && !m.classList.contains("ed-off")) group.push(other);
      });
    });
    var n = function (x) { return parseInt(markerFor(x) ? markerFor(x).getAttribute("data-n") : "0", 10); };
    return group.sort(function (a, b) { return n(a) - n(b); });
  }

  /* Where several notes cover the same words, the note says so and links to the next of them
     ("2 notes on these words: this is 1 of 2. Next here: …"); null if it is alone. */
  function otherNotesHere(id) {
    var group = passageGroup(id);
    if (group.length < 2) return null;
    var at = group.indexOf(id);
    var next = group[(at + 1) % group.length];
    var also = document.createElement("p");
    also.className = "ed-popover__also";
    also.appendChild(document.createTextNode(group.length + " notes on these words: this is " + (at + 1) +
      " of " + group.length + ". "));
    var link = document.createElement("a");
    link.href = "#note-" + next;
    var title = noteItem(next).querySelector(".ed-note__title");
    link.textContent = "Next here: " + (title ? title.textContent : next);
    also.appendChild(link);
    return also;
  }

  function markers() {
    return Array.prototype.slice.call(document.querySelectorAll(".ed-document .ed-marker"));
  }

  function noteItem(id) { return document.getElementById("note-" + id); }
  function markerFor(id) { return document.getElementById("ref-" + id); }

  /* ---- Toolbar: clean text and type filter -------------------------------------- */

  function applyFilters(root) {
    var clean = store("clean") === "1";
    document.documentElement.classList.toggle("ed-clean", clean);
    var hidden = (store("hidden-types") || "").split(" ").filter(Boolean);
    var typeOf = {};
    document.querySelectorAll(".ed-note").forEach(function (item) {
      var id = item.id.replace(/^note-/, "");
      typeOf[id] = item.getAttribute("data-type");
      item.classList.toggle("ed-off", hidden.indexOf(typeOf[id]) >= 0);
    });
    document.querySelectorAll(".ed-document .ed-marker, .ed-document .ed-start").forEach(function (m) {
      m.classList.toggle("ed-off", hidden.indexOf(typeOf[m.getAttribute("data-note")]) >= 0);
    });
    document.querySelectorAll("mark.ed-hl").forEach(function (mark) {
      var ids = (mark.getAttribute("data-notes") || "").split(" ");
      var shown = ids.some(function (id) { return hidden.indexOf(typeOf[id]) < 0; });
      mark.classList.toggle("ed-off", !shown);
    });
    if (map) drawMap(document.querySelector(".ed-document"));
    if (root) {
      var button = root.querySelector(".ed-toolbar__clean");
      if (button) button.setAttribute("aria-pressed", clean ? "true" : "false");
      root.querySelectorAll(".ed-toolbar input[data-type]").forEach(function (box) {
        box.checked = hidden.indexOf(box.getAttribute("data-type")) < 0;
      });
    }
  }

  function buildToolbar(doc) {
    var types = [];
    var labels = {};
    document.querySelectorAll(".ed-note").forEach(function (item) {
      var type = item.getAttribute("data-type");
      if (types.indexOf(type) < 0) {
        types.push(type);
        var badge = item.querySelector(".ed-badge");
        labels[type] = badge ? badge.textContent.trim() : type;
      }
    });
    if (!types.length) return;
    var bar = document.createElement("div");
    bar.className = "ed-toolbar";
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", "Reading options");
    var clean = document.createElement("button");
    clean.type = "button";
    clean.className = "ed-toolbar__clean";
    clean.textContent = "Clean text (hide all notes)";
    clean.setAttribute("aria-pressed", "false");
    clean.addEventListener("click", function () {
      store("clean", store("clean") === "1" ? "0" : "1");
      closePopover(false);
      applyFilters(doc);
    });
    bar.appendChild(clean);
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = "Filter notes by type";
    details.appendChild(summary);
    if (store("filters-open") === "1") details.open = true;
    details.addEventListener("toggle", function () { store("filters-open", details.open ? "1" : "0"); });
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.className = "ed-sr-only";
    legend.textContent = "Show notes of type";
    set.appendChild(legend);
    types.forEach(function (type) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.setAttribute("data-type", type);
      box.addEventListener("change", function () {
        var hidden = (store("hidden-types") || "").split(" ").filter(Boolean);
        hidden = hidden.filter(function (t) { return t !== type; });
        if (!box.checked) hidden.push(type);
        store("hidden-types", hidden.join(" "));
        applyFilters(doc);
      });
      var count = document.querySelectorAll('.ed-note[data-type="' + type + '"]').length;
      var swatch = document.createElement("span");
      swatch.className = "ed-badge ed-badge--" + type;
      swatch.textContent = labels[type];
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(" " + count));
      set.appendChild(label);
    });
    details.appendChild(set);
    bar.appendChild(details);
    var questions = questionList(doc);
    if (questions) bar.appendChild(questions);
    doc.insertBefore(bar, doc.firstChild);
  }

  /* A table of contents from the document's own structure: the reporter's questions, each a
     link to its paragraph (the label is the question's opening words). */
  function questionList(doc) {
    var turns = doc.querySelectorAll(":scope > p.ed-turn--reporter[id]");
    if (!turns.length) return null;
    var details = document.createElement("details");
    details.className = "ed-questions";
    var summary = document.createElement("summary");
    summary.textContent = "The questions (" + turns.length + ")";
    details.appendChild(summary);
    var nav = document.createElement("nav");
    nav.setAttribute("aria-label", "The reporter's questions");
    var list = document.createElement("ol");
    turns.forEach(function (turn) {
      var speaker = turn.querySelector(".ed-speaker");
      var words = turn.textContent.slice(speaker ? speaker.textContent.length : 0).trim();
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + turn.id;
      link.textContent = words.length > 90 ? words.slice(0, 88).replace(/\s+\S*$/, "") + " …" : words;
      item.appendChild(link);
      list.appendChild(item);
    });
    nav.appendChild(list);
    details.appendChild(nav);
    return details;
  }

  /* ---- Note map: where the notes fall, beside the scroll bar --------------------------- */

  var map = null;
  var mapStop = null; // the note whose tick is the map's tab stop

  /* A slim strip at the right edge of the window with a tick for each note shown, at its place
     in the text: a navigation landmark ("Note map") holding a list of links, each named by its
     note as its marker is ("Note 12, Context: …"), from attributes only. By pointer a click on
     a tick opens its note there. By keyboard the map is one tab stop (the tick last visited,
     else the first): the arrow keys, Page Up/Down, Home and End move along it, Enter opens the
     note, and Escape from the note comes back to its tick. It follows the reading options
     toolbar, before the text. */
  function drawMap(doc) {
    if (!map) {
      map = document.createElement("nav");
      map.className = "ed-map";
      map.setAttribute("aria-label", "Note map");
      map.appendChild(document.createElement("ol"));
      map.addEventListener("keydown", mapKey);
      map.addEventListener("click", function (event) {
        var tick = event.target.closest(".ed-map__tick");
        if (!tick) return;
        event.preventDefault();
        openFromMap(tick);
      });
      var bar = doc.querySelector(":scope > .ed-toolbar");
      doc.insertBefore(map, bar ? bar.nextSibling : doc.firstChild);
    }
    var list = map.firstChild;
    var focused = map.contains(document.activeElement) ? document.activeElement.getAttribute("data-note") : null;
    list.innerHTML = "";
    var top = doc.getBoundingClientRect().top + window.scrollY;
    var height = doc.offsetHeight || 1;
    var shown = document.documentElement.classList.contains("ed-clean") ? [] : visibleMarkers();
    map.hidden = !shown.length;
    shown.forEach(function (marker) {
      var id = marker.getAttribute("data-note");
      var item = document.createElement("li");
      var at = (marker.getBoundingClientRect().top + window.scrollY - top) / height;
      item.style.top = (100 * Math.max(0, Math.min(1, at))) + "%";
      var tick = document.createElement("a");
      tick.className = "ed-map__tick ed-marker--" + (noteItem(id) || marker).getAttribute("data-type");
      tick.href = "#note-" + id;
      tick.tabIndex = -1;
      tick.setAttribute("data-note", id);
      tick.setAttribute("aria-label", marker.getAttribute("aria-label"));
      item.appendChild(tick);
      list.appendChild(item);
    });
    var stop = mapTick(mapStop) || list.querySelector(".ed-map__tick");
    if (stop) stop.tabIndex = 0;
    if (focused && mapTick(focused)) mapTick(focused).focus();
  }

  function mapTick(id) {
    return id && map ? map.querySelector('.ed-map__tick[data-note="' + CSS.escape(id) + '"]') : null;
  }

  /* The map's tab stop moves to `tick` (and focus with it, if `focus`). */
  function setMapStop(tick, focus) {
    map.querySelectorAll(".ed-map__tick[tabindex='0']").forEach(function (t) { t.tabIndex = -1; });
    tick.tabIndex = 0;
    mapStop = tick.getAttribute("data-note");
    if (focus) tick.focus();
  }

  function mapKey(event) {
    var tick = event.target.closest(".ed-map__tick");
    if (!tick || event.altKey || event.ctrlKey || event.metaKey) return;
    var ticks = Array.prototype.slice.call(map.querySelectorAll(".ed-map__tick"));
    var at = ticks.indexOf(tick);
    var to = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1,
               PageDown: at + 10, PageUp: at - 10, Home: 0, End: ticks.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    setMapStop(ticks[Math.max(0, Math.min(ticks.length - 1, to))], true);
  }

  function openFromMap(tick) {
    var id = tick.getAttribute("data-note");
    var marker = markerFor(id);
    setMapStop(tick, false);
    if (!marker) return;
    centre(marker);
    openNote(id, true, true);
  }

  /* ---- Popover ------------------------------------------------------------------ */

  function ensurePopover() {
    if (popover) return popover;
    popover = document.createElement("div");
    popover.className = "ed-popover md-typeset";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-modal", "false");
    popover.hidden = true;
    popover.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); closePopover(true); }
      keepTabOrder(event);
    });
    popover.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#note-']");
      if (link) {
        event.preventDefault();
        openNote(link.getAttribute("href").slice(6), true);
      }
    });
    document.body.appendChild(popover);
    return popover;
  }

  /* "Copy link" and "Cite" under a note: its address, or a citation of it, to the clipboard;
     what was copied is said in a status line (and shown, where the clipboard is refused). */
  function noteActions(item, id) {
    var actions = document.createElement("p");
    actions.className = "ed-popover__actions";
    var status = document.createElement("span");
    status.className = "ed-popover__status";
    status.setAttribute("role", "status");
    var url = window.location.href.split("#")[0].replace(/\?.*$/, "") + "#note-" + id;
    var meta = function (name) {
      var tag = document.querySelector('meta[name="' + name + '"]');
      return tag ? tag.getAttribute("content") : "";
    };
    var title = item.querySelector(".ed-note__title");
    var citation = (meta("citation_author") || "The editors") + ", “" + (title ? title.textContent : id) +
      "”, note " + item.getAttribute("data-number") + " in " + (meta("citation_title") || document.title) +
      (meta("citation_publication_date") ? ", " + meta("citation_publication_date") : "") + ". " + url;
    var copy = function (what, text) {
      var done = function () { status.textContent = what + " copied"; };
      var shown = function () { status.textContent = text; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, shown);
      } else shown();
    };
    var link = button("Copy a link to this note", "Copy link", function () { copy("Link", url); });
    var cite = button("Copy a citation of this note", "Cite", function () { copy("Citation", citation); });
    link.removeAttribute("aria-label");
    cite.removeAttribute("aria-label");
    link.setAttribute("data-copy", url);
    cite.setAttribute("data-copy", citation);
    actions.appendChild(link);
    actions.appendChild(cite);
    actions.appendChild(status);
    return actions;
  }

  function button(label, text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }

  function visibleMarkers() {
    return markers().filter(function (m) { return !m.classList.contains("ed-off"); });
  }

  function step(offset) {
    var list = visibleMarkers();
    var index = list.indexOf(current && current.marker);
    var next = list[index + offset];
    if (next) openNote(next.getAttribute("data-note"), true, current && current.fromMap);
  }

  /* A note asked for by a link while hidden (clean text, or its type filtered out) is shown
     again, with its type: the reader followed a link to it. */
  function reveal(item) {
    var type = item.getAttribute("data-type");
    var hidden = (store("hidden-types") || "").split(" ").filter(Boolean);
    if (store("clean") !== "1" && hidden.indexOf(type) < 0) return;
    store("clean", "0");
    store("hidden-types", hidden.filter(function (t) { return t !== type; }).join(" "));
    applyFilters(document.querySelector(".ed-document"));
  }

  /* Opens note `id` by its marker; `fromMap`: the reader came from the note map, and Escape
     returns there. */
  function openNote(id, updateHash, fromMap) {
    var item = noteItem(id);
    var marker = markerFor(id);
    if (!item || !marker) return false;
    reveal(item);
    var pop = ensurePopover();
    if (current && current.marker) {
      current.marker.classList.remove("ed-active");
      current.marker.setAttribute("aria-expanded", "false");
    }
    pop.innerHTML = "";
    var list = visibleMarkers();
    var bar = document.createElement("div");
    bar.className = "ed-popover__bar";
    var count = document.createElement("span");
    count.className = "ed-popover__count";
    count.textContent = "Note " + item.getAttribute("data-number") + " of " + markers().length;
    bar.appendChild(count);
    var index = list.indexOf(marker);
    var prev = button("Previous note", "←", function () { step(-1); });
    var next = button("Next note", "→", function () { step(1); });
    prev.disabled = index <= 0;
    next.disabled = index < 0 || index >= list.length - 1;
    bar.appendChild(prev);
    bar.appendChild(next);
    var close = button("Close note", "✕", function () { closePopover(true); });
    close.className = "ed-popover__close";
    bar.appendChild(close);
    pop.appendChild(bar);
    Array.prototype.forEach.call(item.children, function (child) {
      var copy = child.cloneNode(true);
      copy.querySelectorAll("[id]").forEach(function (el) { el.id = "pop-" + el.id; });
      pop.appendChild(copy);
    });
    pop.querySelectorAll(".ed-note__back").forEach(function (el) { el.remove(); });
    pop.appendChild(noteActions(item, id));
    var head = pop.querySelector(".ed-note__head");
    head.setAttribute("tabindex", "-1");
    var also = otherNotesHere(id);
    if (also) head.after(also);
    pop.querySelector(".ed-note__title").id = "ed-popover-title";
    pop.setAttribute("aria-labelledby", "ed-popover-title");
    pop.className = "ed-popover md-typeset ed-note--" + item.getAttribute("data-type");
    pop.hidden = false;
    current = { id: id, marker: marker, fromMap: !!fromMap };
    light("ed-hl--open", [id]);
    marker.classList.add("ed-active");
    marker.setAttribute("aria-expanded", "true");
    place(pop, marker);
    showBoth(pop, marker);
    head.focus({ preventScroll: true });
    if (updateHash && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#note-" + id);
    }
    return true;
  }

  /* Where the note opens: never over the text. On a wide screen (the stylesheet then keeps a
     margin column to the right of the text, in place of the table of contents) it sits in
     that margin, level with its marker (a margin note); on a phone it is a sheet at the
     bottom of the screen, with the passage above it; in between it opens under the
     paragraph of its marker and pushes the text below it down. */
  var MARGIN_NOTE_REM = 12;

  function marginRoom(marker) {
    var inner = marker.closest(".md-content__inner");
    if (!inner) return null;
    var rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    var pad = parseFloat(getComputedStyle(inner).paddingRight) || 0;
    if (pad < MARGIN_NOTE_REM * rem) return null;
    var right = inner.getBoundingClientRect().right;
    return { left: right - pad + rem, width: pad - rem };
  }

  function layout(marker) {
    if (marginRoom(marker)) return "margin";
    if (window.matchMedia("(max-width: 44.9375em)").matches) return "sheet";
    return "inline";
  }

  function place(pop, marker) {
    var mode = layout(marker);
    ["margin", "sheet", "inline"].forEach(function (name) {
      pop.classList.toggle("ed-popover--" + name, name === mode);
    });
    pop.style.left = pop.style.top = pop.style.width = "";
    if (mode === "inline") {
      // After the paragraph (or heading) of the marker: between the text's elements, never in one.
      var block = marker.closest(".ed-document > *") || marker;
      if (block.nextElementSibling !== pop) block.after(pop);
      return;
    }
    if (pop.parentNode !== document.body) document.body.appendChild(pop);
    if (mode === "margin") {
      var margin = marginRoom(marker);
      pop.style.width = margin.width + "px";
      pop.style.left = (margin.left + window.scrollX) + "px";
      pop.style.top = (marker.getBoundingClientRect().top + window.scrollY - 8) + "px";
    }
  }

  /* Scroll so that the marker (the passage's end) and the note are both on screen: the
     marker below the site's header, the note's opening above the window's bottom (on a
     phone the note is a sheet at the bottom, so the marker goes above it). A note under a
     paragraph taller than the screen comes first: the reader has just left its marker. */
  function showBoth(pop, marker) {
    var header = document.querySelector(".md-header");
    var top = (header ? header.getBoundingClientRect().bottom : 0) + 8;
    var m = marker.getBoundingClientRect();
    var p = pop.getBoundingClientRect();
    var sheet = pop.classList.contains("ed-popover--sheet");
    var inline = pop.classList.contains("ed-popover--inline");
    var limit = window.innerHeight - 8 - (sheet ? p.height : 0);
    var want = sheet ? m.bottom : Math.max(m.bottom, Math.min(p.bottom, p.top + 0.6 * window.innerHeight));
    var delta = 0;
    if (m.top < top) delta = m.top - top;
    if (want - delta > limit) delta = Math.min(want - limit, (inline ? p.top : m.top) - top);
    if (delta) window.scrollBy({ top: delta, behavior: "instant" });
  }

  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select, textarea, summary, " +
    "[tabindex]:not([tabindex='-1'])";

  /* The popover sits at the end of the page: Tab past its last control goes on after the
     marker (and closes the note), Shift+Tab before its first goes back to the marker. */
  function keepTabOrder(event) {
    if (event.key !== "Tab" || !current) return;
    var inside = Array.prototype.filter.call(popover.querySelectorAll(FOCUSABLE), function (el) {
      return el.getClientRects().length > 0;
    });
    if (!inside.length) return;
    var marker = current.marker;
    if (event.shiftKey && (document.activeElement === inside[0] || !popover.contains(document.activeElement) ||
        document.activeElement === popover.querySelector(".ed-note__head"))) {
      event.preventDefault();
      marker.focus();
    } else if (!event.shiftKey && document.activeElement === inside[inside.length - 1]) {
      event.preventDefault();
      var all = Array.prototype.filter.call(document.querySelectorAll(FOCUSABLE), function (el) {
        return !popover.contains(el) && el.getClientRects().length > 0;
      });
      var after = all[all.indexOf(marker) + 1];
      closePopover(false);
      (after || marker).focus();
    }
  }

  function closePopover(returnFocus) {
    if (!popover || popover.hidden) return;
    popover.hidden = true;
    light("ed-hl--open", null);
    if (current && current.marker) {
      current.marker.classList.remove("ed-active");
      current.marker.setAttribute("aria-expanded", "false");
      var tick = current.fromMap && mapTick(current.id);
      if (returnFocus && tick && tick.getClientRects().length) setMapStop(tick, true);
      else if (returnFocus) current.marker.focus();
    }
    if (window.history && window.history.replaceState && /^#note-/.test(window.location.hash)) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    current = null;
  }

  /* The note id of a #note-<id> fragment, or of a fragment naming an element inside an
     endnote: a search result for a note links to its heading (#note-<id>-title). Null for
     another fragment, or a malformed one (#note-%E0%A4%A), which decodeURIComponent refuses
     with an exception. */
  function noteIdFromHash() {
    var match = /^#(note-.+)$/.exec(window.location.hash);
    if (!match) return null;
    var target;
    try {
      target = decodeURIComponent(match[1]);
    } catch (error) {
      return null;
    }
    var element = document.getElementById(target);
    var item = element && element.closest(".ed-note");
    if (item && item.id) return item.id.slice(5);
    return target.slice(5);
  }

  function openFromHash() {
    var id = noteIdFromHash();
    if (id === null) return;
    var marker = markerFor(id);
    if (!marker) return;
    centre(marker);
    openNote(id, false);
  }

  /* The marker in the middle of the screen, and its note, if open, placed beside it again. */
  function centre(marker) {
    marker.scrollIntoView({ block: "center", behavior: "instant" });
    if (popover && !popover.hidden && current && current.marker === marker) {
      place(popover, marker);
      showBoth(popover, marker);
    }
  }

  /* A page loaded with #note-<id>: the browser would jump to the endnote of that id once the
     page has loaded, away from the note just opened at its place in the text. The endnote
     lends its id back only after that. */
  function holdFragmentJump() {
    var hashId = noteIdFromHash();
    var item = hashId !== null && noteItem(hashId);
    if (!item || document.readyState === "complete") return;
    // The fragment names the endnote or an element inside it (its heading, for a search result).
    var held = [item].concat(Array.prototype.slice.call(item.querySelectorAll("[id]")));
    var ids = held.map(function (element) { return element.id; });
    held.forEach(function (element) { element.removeAttribute("id"); });
    window.addEventListener("load", function () {
      window.setTimeout(function () {
        held.forEach(function (element, i) { element.id = ids[i]; });
        if (current && current.marker) centre(current.marker);
      }, 0);
    });
  }

  /* ---- Glossary cards (touch screens) ------------------------------------------------ */

  /* A tap on a glossary term, where there is no pointer to hover with, opens a card in place
     (term, transliteration, full form, translation and a link to the entry) instead of leaving
     the page. Its content comes from the link's title ("term (translit): full — translation"). */
  var card = null;
  var cardTerm = null;
  var termTitles = new WeakMap(); // Material's tooltips take the title away from a link they show

  function keepTermTitles(doc) {
    doc.querySelectorAll("a.ed-term[title]").forEach(function (term) {
      termTitles.set(term, term.getAttribute("title"));
    });
  }

  function termParts(title) {
    var match = /^(.+?) \(([^)]*)\)(?:: (.+?))? — (.+)$/.exec(title || "");
    if (!match) return { term: title || "", translit: "", full: "", translation: "" };
    return { term: match[1], translit: match[2], full: match[3] || "", translation: match[4] };
  }

  function closeCard(returnFocus) {
    if (!card || card.hidden) return;
    card.hidden = true;
    if (returnFocus && cardTerm) cardTerm.focus();
    cardTerm = null;
  }

  function openTermCard(term) {
    if (!card) {
      card = document.createElement("div");
      card.className = "ed-card md-typeset";
      card.setAttribute("role", "dialog");
      card.setAttribute("aria-modal", "false");
      card.setAttribute("aria-labelledby", "ed-card-title");
      card.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); closeCard(true); }
      });
      document.body.appendChild(card);
    }
    var parts = termParts(termTitles.get(term) || term.getAttribute("title") || "");
    card.innerHTML = "";
    var head = document.createElement("p");
    head.className = "ed-card__term";
    head.id = "ed-card-title";
    head.setAttribute("lang", "ru");
    head.setAttribute("tabindex", "-1");
    head.textContent = parts.term;
    card.appendChild(head);
    var list = document.createElement("dl");
    [["Transliteration", parts.translit, ""], ["Full form", parts.full, "ru"],
     ["Translation", parts.translation, ""]].forEach(function (row) {
      if (!row[1]) return;
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = row[1];
      if (row[2]) dd.setAttribute("lang", row[2]);
      list.appendChild(dt);
      list.appendChild(dd);
    });
    card.appendChild(list);
    var foot = document.createElement("p");
    foot.className = "ed-card__foot";
    var entry = document.createElement("a");
    entry.href = term.getAttribute("href");
    entry.textContent = "Glossary entry";
    foot.appendChild(entry);
    var close = button("Close", "✕", function () { closeCard(true); });
    foot.appendChild(close);
    card.appendChild(foot);
    card.hidden = false;
    cardTerm = term;
    // Under the term (above it if there is no room below), inside the window.
    var rect = term.getBoundingClientRect();
    var width = Math.min(card.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    var top = rect.bottom + 6;
    if (top + card.offsetHeight > window.innerHeight - 8 && rect.top - card.offsetHeight - 6 > 8) {
      top = rect.top - card.offsetHeight - 6;
    }
    card.style.left = (left + window.scrollX) + "px";
    card.style.top = (top + window.scrollY) + "px";
    head.focus({ preventScroll: true });
  }

  /* ---- Material's header, on every page ------------------------------------------ */

  function fixHeader() {
    // The palette switch is a radio button per palette, labelled "Switch to …": Material
    // switches on Enter, and Space (how a switch is pressed) did nothing, or nothing visible.
    // Space now clicks the switch on screen: the label after the current palette's radio
    // (checked once a palette was chosen; before that, the one of the page's colour scheme).
    var palette = document.querySelector("[data-md-component=palette]");
    if (palette && !palette.getAttribute("data-ed-ready")) {
      palette.setAttribute("data-ed-ready", "1");
      palette.addEventListener("keydown", function (event) {
        if (event.key !== " " || !event.target.matches("input.md-option")) return;
        var active = palette.querySelector("input.md-option:checked");
        var scheme = document.body.getAttribute("data-md-color-scheme");
        palette.querySelectorAll("input.md-option").forEach(function (input) {
          if (!active && input.getAttribute("data-md-color-scheme") === scheme) active = input;
        });
        var label = active && active.nextElementSibling;
        if (label && label.tagName === "LABEL") {
          event.preventDefault();
          label.click();
        }
      });
    }
    // The search is a dialog without a name; screen readers announce "dialog" alone.
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  }

  /* ---- Wiring ------------------------------------------------------------------- */

  function init() {
    fixHeader();
    var doc = document.querySelector(".ed-document");
    if (!doc || doc.getAttribute("data-ed-ready")) return;
    doc.setAttribute("data-ed-ready", "1");
    keepTermTitles(doc);
    buildToolbar(doc);
    applyFilters(doc);
    markers().forEach(function (m) {
      m.setAttribute("aria-haspopup", "dialog");
      m.setAttribute("aria-expanded", "false");
    });
    doc.addEventListener("click", function (event) {
      var marker = event.target.closest(".ed-marker");
      if (marker) {
        event.preventDefault();
        if (current && current.marker === marker && !popover.hidden) closePopover(true);
        else openNote(marker.getAttribute("data-note"), true);
        return;
      }
      var term = event.target.closest("a.ed-term");
      if (term && !event.target.closest(".ed-popover") && window.matchMedia("(hover: none)").matches) {
        event.preventDefault();
        openTermCard(term);
        return;
      }
      var mark = event.target.closest("mark.ed-hl");
      // A drag that selected words of the passage selects them, and opens nothing.
      var selection = window.getSelection();
      if (selection && !selection.isCollapsed && selection.toString().trim()) return;
      if (mark && !event.target.closest("a") && !mark.classList.contains("ed-off") &&
          !document.documentElement.classList.contains("ed-clean")) {
        var ids = passageGroup(mark.getAttribute("data-notes").split(" ")[0]).filter(function (x) {
          return mark.getAttribute("data-notes").split(" ").indexOf(x) >= 0;
        });
        if (ids.length) openNote(ids[0], true);
      }
    });
    document.addEventListener("click", function (event) {
      // A click on a button that re-rendered the popover has a detached target.
      if (!event.target.isConnected) return;
      if (card && !card.hidden && !card.contains(event.target) && !event.target.closest("a.ed-term")) {
        closeCard(false);
      }
      if (popover && !popover.hidden && !popover.contains(event.target) &&
          !event.target.closest(".ed-marker, mark.ed-hl, .ed-map__tick")) closePopover(false);
    });
    document.addEventListener("keydown", function (event) {
      if (!popover || popover.hidden || !current) return;
      if (event.key === "Escape") closePopover(true);
      // From the marker of the open note, Tab goes into the note (it follows its marker).
      if (event.key === "Tab" && !event.shiftKey && document.activeElement === current.marker) {
        event.preventDefault();
        popover.querySelector(".ed-note__head").focus({ preventScroll: true });
      }
    });
    // The passage of the marker or passage under the pointer, or of the focused marker, is lit.
    ["mouseover", "focusin"].forEach(function (type) {
      doc.addEventListener(type, function (event) { light("ed-hl--hot", notesAt(event.target)); });
    });
    ["mouseout", "focusout"].forEach(function (type) {
      doc.addEventListener(type, function (event) {
        if (!event.relatedTarget || !notesAt(event.relatedTarget)) light("ed-hl--hot", null);
      });
    });
    window.addEventListener("hashchange", openFromHash);
    window.addEventListener("resize", function () {
      if (current && popover && !popover.hidden) place(popover, current.marker);
    });
    if (!window.matchMedia("(max-width: 44.9375em)").matches) drawMap(doc);
    window.addEventListener("resize", function () { if (map) drawMap(doc); });
    openFromHash();
    holdFragmentJump();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
