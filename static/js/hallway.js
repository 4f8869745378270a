// Small progressive enhancements shared by every page. Everything works without it.
(function () {
  "use strict";
  // Keep unsent text in forms marked data-draft-key across reloads (drafts survive).
  function restoreDrafts(root) {
    root.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      var key = "hallway-draft:" + form.dataset.draftKey;
      var saved = {};
      try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
      form.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (field) {
        if (field.type === "hidden" || field.type === "password") { return; }
        if (saved[field.name] !== undefined && !field.value) { field.value = saved[field.name]; }
        field.addEventListener("input", function () {
          var data = {};
          form.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (f) {
            if (f.type !== "hidden" && f.type !== "password") { data[f.name] = f.value; }
          });
          localStorage.setItem(key, JSON.stringify(data));
        });
      });
      form.addEventListener("submit", function () { localStorage.removeItem(key); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { restoreDrafts(document); });
  // Buttons marked data-confirm ask before their form is sent (no inline
  // handlers: the Content-Security-Policy allows scripts from our files only).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.dataset ? button.dataset.confirm : "";
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
