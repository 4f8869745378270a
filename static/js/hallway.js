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
  // Code blocks that scroll sideways can be scrolled with the keyboard too.
  function focusableScrollers(root) {
    root.querySelectorAll("pre").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth && !pre.hasAttribute("tabindex")) {
        pre.setAttribute("tabindex", "0");
      }
    });
  }
  window.addEventListener("load", function () { focusableScrollers(document); });
  window.addEventListener("resize", function () { focusableScrollers(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusableScrollers(event.target); });
  document.addEventListener("DOMContentLoaded", function () {
    restoreDrafts(document);
    // Search filters start folded away in a drawer on phones.
    if (window.matchMedia("(max-width: 759px)").matches) {
      document.querySelectorAll("details.facets-drawer[open]").forEach(function (d) { d.removeAttribute("open"); });
    }
  });
  // The header menu on phones: the Menu button opens and closes it.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".menu-toggle");
    if (!toggle) { return; }
    var header = toggle.closest(".site-header");
    var open = header.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var header = document.querySelector(".site-header.menu-open");
    if (!header) { return; }
    header.classList.remove("menu-open");
    var toggle = header.querySelector(".menu-toggle");
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });
  // Buttons marked data-confirm ask before their form is sent (no inline
  // handlers: the Content-Security-Policy allows scripts from our files only).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.dataset ? button.dataset.confirm : "";
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
