/* The search query in Unicode NFC, as the edition writes its search entries
   (edition.search): a decomposed letter typed or pasted (и + U+0306) finds the composed one
   (й) and the other way round. The listener runs in the capture phase on the document, so
   the search box's value is normalised before the theme's own listener reads it. */
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains("md-search__input")) return;
    var normalised = box.value.normalize("NFC");
    if (normalised !== box.value) {
      var end = box.selectionEnd === box.value.length;
      box.value = normalised;
      if (end) box.setSelectionRange(normalised.length, normalised.length);
    }
  }, true);
})();
