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
  // The Markdown toolbar: wrap or prefix the selection, then tell the preview and
  // the draft keeper (an input event) that the text changed.
  var MARKS = {
    bold: { before: "**", after: "**", empty: "bold" },
    italic: { before: "_", after: "_", empty: "italic" },
    code: { before: "`", after: "`", empty: "code" },
    link: { before: "[", after: "](https://)", empty: "text" },
    codeblock: { before: "\n```\n", after: "\n```\n", empty: "code" },
    list: { line: "- " },
    quote: { line: "> " }
  };
  function applyMark(area, name) {
    var mark = MARKS[name];
    if (!mark) { return; }
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    var chosen = text.slice(start, end), replacement, caretStart, caretEnd;
    if (mark.line) {
      var lines = (chosen || "").split("\n");
      replacement = lines.map(function (l) { return mark.line + l; }).join("\n");
      caretStart = start + replacement.length; caretEnd = caretStart;
    } else {
      var inner = chosen || mark.empty;
      replacement = mark.before + inner + mark.after;
      caretStart = start + mark.before.length; caretEnd = caretStart + inner.length;
    }
    area.focus();
    area.setRangeText(replacement, start, end, "end");
    area.setSelectionRange(caretStart, caretEnd);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function showToolbars(root) {
    root.querySelectorAll(".md-toolbar[hidden]").forEach(function (bar) { bar.hidden = false; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".md-toolbar [data-md]");
    if (!button) { return; }
    var bar = button.closest(".md-toolbar");
    var area = document.getElementById(bar.dataset.mdTarget);
    if (area) { applyMark(area, button.dataset.md); }
  });
  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!(event.ctrlKey || event.metaKey) || !area || area.tagName !== "TEXTAREA") { return; }
    if (!document.querySelector('.md-toolbar[data-md-target="' + area.id + '"]')) { return; }
    var name = { b: "bold", i: "italic", k: "link" }[event.key.toLowerCase()];
    if (name) { event.preventDefault(); applyMark(area, name); }
  });
  document.addEventListener("htmx:afterSwap", function (event) { showToolbars(event.target); });
  document.addEventListener("DOMContentLoaded", function () {
    showToolbars(document);
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
