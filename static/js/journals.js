// Write form: show the community choice only for community visibility.
(function () {
  "use strict";
  function wire(form) {
    var visibility = form.querySelector("select[name=visibility]");
    var field = form.querySelector(".journal-community-field");
    if (!visibility || !field) { return; }
    function sync() { field.hidden = visibility.value !== "community"; }
    visibility.addEventListener("change", sync);
    sync();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.journal-form").forEach(wire);
  });
})();
