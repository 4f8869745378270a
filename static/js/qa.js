// Question pages: clicking a suggested tag completes the word being typed.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".qa-tag-suggestion");
    if (!button) { return; }
    var box = button.closest(".qa-tag-suggestions");
    var input = document.getElementById(box.dataset.for);
    var words = input.value.split(/[\s,]+/).filter(Boolean);
    if (input.value && !/[\s,]$/.test(input.value)) { words.pop(); }
    words.push(button.dataset.tag);
    input.value = words.join(" ") + " ";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.focus();
  });
})();
