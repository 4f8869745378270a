// The shared Markdown editor's @mention and #tag suggestions, and files. Typing "@ad" lists
// people, "#ku" lists tags in use (from the JSON API, signed in); the list follows
// the combobox pattern: the textarea owns a listbox (aria-controls), the active
// option is its aria-activedescendant, arrows move, Enter or Tab inserts, Escape
// closes, and a status line says how many there are. Without JavaScript the
// textarea is a plain textarea.
(function () {
  "use strict";
  var TOKEN = /(^|[\s(\[])([@#])([A-Za-z0-9_][A-Za-z0-9_.+-]{0,49})$/;
  var cache = {};
  var state = null; // {area, box, list, status, items, active, start, end, trigger}
  var timer = null;
  var sequence = 0;

  function boxFor(area) {
    return document.querySelector('.md-suggest[data-md-suggest-for="' + area.id + '"]');
  }

  function tokenAt(area) {
    var caret = area.selectionStart;
    if (caret !== area.selectionEnd) { return null; }
    var match = TOKEN.exec(area.value.slice(Math.max(0, caret - 60), caret));
    if (!match) { return null; }
    return { trigger: match[2], text: match[3], start: caret - match[3].length - 1, end: caret };
  }

  function close() {
    if (!state) { return; }
    state.list.hidden = true;
    state.list.textContent = "";
    state.area.removeAttribute("aria-activedescendant");
    state = null;
  }

  function setActive(index) {
    if (!state || !state.items.length) { return; }
    state.active = (index + state.items.length) % state.items.length;
    Array.prototype.forEach.call(state.list.children, function (option, i) {
      option.setAttribute("aria-selected", i === state.active ? "true" : "false");
    });
    var chosen = state.list.children[state.active];
    state.area.setAttribute("aria-activedescendant", chosen.id);
    chosen.scrollIntoView({ block: "nearest" });
  }

  function insert(index) {
    var item = state.items[index];
    var area = state.area;
    var text = state.trigger + item.value + " ";
    var start = state.start, end = state.end;
    close();
    area.focus();
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function show(area, token, items) {
    var box = boxFor(area);
    if (!box) { return; }
    var list = box.querySelector("[role=listbox]");
    var status = box.querySelector("[role=status]");
    if (!items.length) {
      close();
      status.textContent = box.dataset.none || "";
      return;
    }
    state = { area: area, box: box, list: list, status: status, items: items,
              active: 0, start: token.start, end: token.end, trigger: token.trigger };
    list.textContent = "";
    list.setAttribute("aria-label", token.trigger === "@" ? box.dataset.labelPeople : box.dataset.labelTags);
    items.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = area.id + "-suggestion-" + i;
      option.setAttribute("role", "option");
      option.className = "md-suggest-option";
      var main = document.createElement("span");
      main.textContent = token.trigger + item.value;
      option.appendChild(main);
      if (item.detail) {
        var detail = document.createElement("span");
        detail.className = "muted";
        detail.textContent = " " + item.detail;
        option.appendChild(detail);
      }
      list.appendChild(option);
    });
    list.hidden = false;
    setActive(0);
    status.textContent = (box.dataset.status || "").replace("%(n)s", String(items.length));
  }

  function fetchItems(area, token) {
    var box = boxFor(area);
    if (!box) { return; }
    var url = token.trigger === "@" ? box.dataset.peopleUrl : box.dataset.tagsUrl;
    var key = token.trigger + token.text.toLowerCase();
    var mine = ++sequence;
    var done = function (items) {
      cache[key] = items;
      // Only the newest request may open the list, and only if the token is still there.
      var now = tokenAt(area);
      if (mine === sequence && now && now.trigger === token.trigger && now.text === token.text) {
        show(area, now, items);
      }
    };
    if (cache[key]) { done(cache[key]); return; }
    fetch(url + "?q=" + encodeURIComponent(token.text), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      done((data.results || []).map(function (r) {
        return token.trigger === "@"
          ? { value: r.username, detail: r.display_name !== r.username ? r.display_name : "" }
          : { value: r.name, detail: "×" + r.uses };
      }));
    }).catch(function () { if (mine === sequence) { close(); } });
  }

  function onType(area) {
    var token = tokenAt(area);
    if (!token) { close(); return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { fetchItems(area, token); }, 150);
  }

  function isEditor(area) {
    return area && area.tagName === "TEXTAREA" && area.id && boxFor(area);
  }

  function prepare(root) {
    root.querySelectorAll(".md-suggest[data-md-suggest-for]").forEach(function (box) {
      var area = document.getElementById(box.dataset.mdSuggestFor);
      if (!area || area.hasAttribute("aria-autocomplete")) { return; }
      area.insertAdjacentElement("afterend", box); // the list opens under the text
      area.setAttribute("aria-autocomplete", "list");
      area.setAttribute("aria-controls", box.querySelector("[role=listbox]").id);
    });
  }

  document.addEventListener("input", function (event) {
    if (isEditor(event.target)) { onType(event.target); }
  });
  document.addEventListener("keydown", function (event) {
    if (!state || event.target !== state.area) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setActive(state.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      insert(state.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  }, true);
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".md-suggest-option");
    if (!option || !state) { return; }
    event.preventDefault(); // keep the focus (and the caret) in the textarea
    insert(Array.prototype.indexOf.call(state.list.children, option));
  });
  document.addEventListener("focusout", function (event) {
    if (state && event.target === state.area) { close(); }
  });

  // Files: an image pasted or dropped into the text, or any file chosen with the
  // toolbar's Attach button, is uploaded (the server checks its size and type)
  // and its Markdown link replaces a placeholder at the caret.
  var uploads = 0;
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function say(box, template, values) {
    var text = template || "";
    Object.keys(values).forEach(function (name) { text = text.split("%(" + name + ")s").join(values[name]); });
    box.querySelector("[role=status]").textContent = text;
  }
  function replaceText(area, from, to) {
    var at = area.value.indexOf(from);
    if (at === -1) { return; }
    area.setRangeText(to, at, at + from.length, "preserve");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function uploadFiles(area, files) {
    var box = boxFor(area);
    if (!box || !box.dataset.uploadUrl) { return; }
    Array.prototype.forEach.call(files, function (file) {
      var placeholder = "![" + (box.dataset.uploading || "").split("%(name)s").join(file.name) + " #" + (++uploads) + "]()";
      area.focus();
      area.setRangeText(placeholder, area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
      say(box, box.dataset.uploading, { name: file.name });
      var body = new FormData();
      body.append("file", file, file.name);
      fetch(box.dataset.uploadUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { throw new Error(data.detail || String(response.status)); }
          return data;
        });
      }).then(function (data) {
        replaceText(area, placeholder, data.markdown);
        say(box, box.dataset.uploaded, { name: data.name });
      }).catch(function (error) {
        replaceText(area, placeholder, "");
        say(box, box.dataset.uploadFailed, { name: file.name, reason: error.message });
      });
    });
  }
  document.addEventListener("paste", function (event) {
    var area = event.target;
    if (!isEditor(area) || !event.clipboardData || !event.clipboardData.files.length) { return; }
    event.preventDefault();
    uploadFiles(area, event.clipboardData.files);
  });
  document.addEventListener("dragover", function (event) {
    if (isEditor(event.target) && event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
      event.preventDefault();
    }
  });
  document.addEventListener("drop", function (event) {
    var area = event.target;
    if (!isEditor(area) || !event.dataTransfer || !event.dataTransfer.files.length) { return; }
    event.preventDefault();
    uploadFiles(area, event.dataTransfer.files);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-md-attach]");
    if (!button) { return; }
    button.closest(".md-toolbar").querySelector("input[type=file]").click();
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".md-toolbar input[type=file]")) { return; }
    var area = document.getElementById(input.closest(".md-toolbar").dataset.mdTarget);
    if (area && input.files.length) { uploadFiles(area, input.files); }
    input.value = "";
  });
  document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  document.addEventListener("htmx:afterSwap", function (event) { prepare(event.target); });
})();
