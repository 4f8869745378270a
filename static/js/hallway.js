// Small progressive enhancements shared by every page. Everything works without it.
(function () {
  "use strict";
  // Drafts: what is typed into a form marked data-draft-key is kept in
  // localStorage (under that key and the person's id) across reloads and restored with a visible
  // "Draft restored · Discard" notice. A submit is remembered for the next page:
  // if that page shows no error, the draft is gone; if it shows the form with
  // errors (or an error message), the draft stays.
  var DRAFT = "hallway-draft:", SENT = "hallway-draft-sent:";
  var SKIP = ["hidden", "password", "file", "submit", "button", "reset", "checkbox", "image"];
  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (f) {
      return f.name && !f.disabled && SKIP.indexOf((f.type || "").toLowerCase()) === -1 && !f.multiple;
    });
  }
  function readForm(form) {
    var data = {};
    draftFields(form).forEach(function (f) {
      if (f.type === "radio") {
        if (!(f.name in data)) { data[f.name] = ""; }
        if (f.checked) { data[f.name] = f.value; }
      } else { data[f.name] = f.value; }
    });
    return data;
  }
  function writeForm(form, data) {
    draftFields(form).forEach(function (f) {
      if (!(f.name in data)) { return; }
      if (f.type === "radio") { f.checked = f.value === data[f.name]; } else { f.value = data[f.name]; }
    });
  }
  function sameData(a, b) {
    return Object.keys(b).every(function (name) { return a[name] === undefined || a[name] === b[name]; });
  }
  function storageGet(store, key) {
    try { return store.getItem(key); } catch (e) { return null; }
  }
  function storageSet(store, key, value) {
    try { if (value === null) { store.removeItem(key); } else { store.setItem(key, value); } } catch (e) { /* full or off */ }
  }
  function pageShowsError(form) {
    return Boolean((form && form.querySelector(".errorlist, [aria-invalid='true'], .form-errors")) ||
      document.querySelector(".message-error"));
  }
  function keepDrafts(root) {
    // Each person's drafts apart (a shared computer), all forgotten at logout.
    var owner = (document.body.dataset.draftOwner || "anonymous") + ":";
    var forms = {};
    root.querySelectorAll("form[data-draft-key]").forEach(function (form) { forms[DRAFT + owner + form.dataset.draftKey] = form; });
    // Submits sent from the previous page: success unless this page shows an error.
    var sent = [];
    try { for (var i = 0; i < sessionStorage.length; i++) { if (sessionStorage.key(i).indexOf(SENT) === 0) { sent.push(sessionStorage.key(i)); } } } catch (e) { sent = []; }
    sent.forEach(function (flag) {
      var key = DRAFT + flag.slice(SENT.length);
      storageSet(sessionStorage, flag, null);
      if (!pageShowsError(forms[key])) { storageSet(localStorage, key, null); }
    });
    Object.keys(forms).forEach(function (key) {
      var form = forms[key];
      var original = readForm(form);
      var notice = form.querySelector(".draft-notice");
      var saved = null;
      try { saved = JSON.parse(storageGet(localStorage, key) || "null"); } catch (e) { saved = null; }
      function changed() {
        form.querySelectorAll("textarea[name], input[name]").forEach(function (f) {
          if (SKIP.indexOf(f.type) === -1) { f.dispatchEvent(new Event("input", { bubbles: true })); }
        });
      }
      if (saved && !sameData(saved, original)) {
        writeForm(form, saved);
        if (notice) { notice.hidden = false; }
        changed();
      }
      form.addEventListener("input", function () {
        var now = readForm(form);
        storageSet(localStorage, key, sameData(now, original) ? null : JSON.stringify(now));
      });
      form.addEventListener("change", function () {
        var now = readForm(form);
        storageSet(localStorage, key, sameData(now, original) ? null : JSON.stringify(now));
      });
      form.addEventListener("submit", function (event) {
        if (!event.defaultPrevented) { storageSet(sessionStorage, SENT + key.slice(DRAFT.length), "1"); }
      });
      form.addEventListener("click", function (event) {
        if (!event.target.closest || !event.target.closest("[data-draft-discard]")) { return; }
        storageSet(localStorage, key, null);
        writeForm(form, original);
        changed();
        storageSet(localStorage, key, null);
        if (notice) { notice.hidden = true; }
        var first = form.querySelector("textarea[name], input[type=text][name]");
        if (first) { first.focus(); }
      });
    });
  }
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-drafts-forget")) { return; }
    try {
      Object.keys(localStorage).forEach(function (key) { if (key.indexOf(DRAFT) === 0) { localStorage.removeItem(key); } });
    } catch (e) { /* storage off */ }
  });
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
    keepDrafts(document);
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
