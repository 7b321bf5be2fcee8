// Spoc's small progressive enhancements. Every page works without this file; with it:
// - open queues and ticket views refresh themselves when tickets change (server-sent events),
// - Ctrl+Enter (or Cmd+Enter) sends the message being written,
// - after a form comes back with errors, focus moves to the first field to fix,
// - while someone describes a new ticket in the portal, matching help articles are suggested,
// - composers take dropped and pasted files and preview their Markdown, and @ in the agent's
//   message offers colleagues to mention.
// The words this script writes, in the reader's language: the page carries them as JSON keyed
// by the English (`#spoc-text`); `{0}`, `{1}` in a text are replaced by the values given.
function spocText(english, values) {
  var table = spocText.table;
  if (!table) {
    try {
      var el = document.getElementById("spoc-text");
      table = spocText.table = el ? JSON.parse(el.textContent) : {};
    } catch (e) {
      table = spocText.table = {};
    }
  }
  var text = Object.prototype.hasOwnProperty.call(table, english) ? table[english] : english;
  return text.replace(/\{(\d)\}/g, function (all, i) {
    return values && values[i] !== undefined ? String(values[i]) : all;
  });
}

(function () {
  "use strict";

  function banner(text) {
    var el = document.getElementById("live-banner");
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
    clearTimeout(banner.timer);
    banner.timer = setTimeout(function () { el.hidden = true; }, 8000);
  }

  function focusedWithin(el) {
    return el && document.activeElement && el.contains(document.activeElement) && document.activeElement !== document.body;
  }

  // Fetches the current page again and hands the parsed document to `apply`.
  function refetch(apply) {
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) return null;
        return response.text();
      })
      .then(function (html) {
        if (html) apply(new DOMParser().parseFromString(html, "text/html"));
      })
      .catch(function () { /* offline for a moment: the next event retries */ });
  }

  function swap(doc, id, force) {
    var here = document.getElementById(id);
    var there = doc.getElementById(id);
    if (!here || !there) return false;
    if (!force && (focusedWithin(here) || here.querySelector("details[open], input[type=checkbox]:checked"))) return false;
    if (here.innerHTML === there.innerHTML) return false;
    here.innerHTML = there.innerHTML;
    return true;
  }

  function liveQueue(source) {
    var pending = null;
    var results = document.getElementById("queue-results");
    function refresh(message) {
      clearTimeout(pending);
      pending = setTimeout(function () {
        if (focusedWithin(results)) {
          banner(message + " — press F5 to refresh.");
          return;
        }
        refetch(function (doc) {
          var changed = swap(doc, "queue-results", false);
          swap(doc, "queue-nav", true);
          if (changed) banner(message);
        });
      }, 250);
    }
    source.addEventListener("ticket", function (e) {
      var data = JSON.parse(e.data);
      refresh(data.change === "created" ? data.number + " was logged." : data.number + " changed.");
    });
    source.addEventListener("resync", function () { refresh(spocText("The queue was updated.")); });
  }

  function liveTicket(source, ticketId) {
    function refresh() {
      refetch(function (doc) {
        var changed = swap(doc, "timeline", true);
        swap(doc, "ticket-header", true);
        swap(doc, "ticket-actions", false);
        swap(doc, "sop-checklist", false);
        if (changed) banner(spocText("This ticket was just updated; the history below shows what changed."));
      });
    }
    source.addEventListener("ticket", function (e) {
      var data = JSON.parse(e.data);
      if (String(data.id) === String(ticketId)) refresh();
    });
    source.addEventListener("resync", refresh);
  }

  function startLive() {
    var live = document.querySelector("[data-live]");
    if (!live || !window.EventSource) return;
    var url = document.body.classList.contains("area-portal") ? "/portal/live" : "/desk/live";
    var source = new EventSource(url);
    if (live.getAttribute("data-live") === "queue") liveQueue(source);
    else liveTicket(source, live.getAttribute("data-ticket"));
    window.addEventListener("pagehide", function () { source.close(); });
  }

  function sendShortcut() {
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) return;
      var target = e.target;
      if (target && target.tagName === "TEXTAREA" && target.form) {
        e.preventDefault();
        if (target.form.requestSubmit) target.form.requestSubmit();
        else target.form.submit();
      }
    });
  }

  function focusFirstError() {
    var field = document.querySelector(".field.has-error input, .field.has-error select, .field.has-error textarea");
    if (field) field.focus();
  }

  // Suggestions while a new ticket is described: asks the portal's suggestion API (same
  // session) and lists the articles with text nodes only.
  function suggestArticles() {
    var panel = document.getElementById("suggestions");
    var list = document.getElementById("suggestion-list");
    var title = document.getElementById("title");
    var description = document.getElementById("description");
    if (!panel || !list || !title || !description || !window.fetch) return;
    var url = panel.getAttribute("data-suggest");
    var timer = null;
    var asked = "";
    function show(items) {
      while (list.firstChild) list.removeChild(list.firstChild);
      var none = document.getElementById("suggestions-none");
      if (none) none.hidden = items.length > 0;
      items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url + "?q=" + encodeURIComponent(title.value.trim().slice(0, 200));
        link.textContent = item.title;
        var snippet = document.createElement("p");
        snippet.className = "muted small";
        snippet.textContent = item.snippet;
        li.appendChild(link);
        li.appendChild(snippet);
        list.appendChild(li);
      });
      panel.hidden = items.length === 0 && !none;
    }
    function ask() {
      var q = (title.value + " " + description.value).trim();
      if (q.length < 3 || q === asked) return;
      asked = q;
      fetch(url + "?q=" + encodeURIComponent(q.slice(0, 1000)), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && q === asked) show(data.items || []); })
        .catch(function () { /* offline: the "check for answers" button still works */ });
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(ask, 350);
    }
    title.addEventListener("input", later);
    description.addEventListener("input", later);
    if (title.value) later();
  }

  /* lane composer: files dropped or pasted into a composer, the list of chosen files, and the
     Markdown preview rendered by the server. */

  // A composer's file field also takes files dropped anywhere on its form and images pasted
  // into its message; they join the field's own list, so the form sends them as usual. A file
  // over the limit is named next to the field at once (the server checks again).
  function composerFiles() {
    var zones = document.querySelectorAll("[data-drop-zone]");
    Array.prototype.forEach.call(zones, function (zone) {
      var input = zone.querySelector("input[type=file]");
      var form = zone.closest("form");
      var list = zone.querySelector(".chosen-files");
      if (!input || !form || !window.DataTransfer) return;
      Array.prototype.forEach.call(zone.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
      var max = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
      var note = document.createElement("p");
      note.className = "field-error";
      note.id = input.id + "-client-error";
      note.hidden = true;
      zone.appendChild(note);
      function size(bytes) {
        return bytes < 1048576 ? Math.ceil(bytes / 1024) + " KB" : (bytes / 1048576).toFixed(1) + " MB";
      }
      function show() {
        list.textContent = "";
        var tooBig = [];
        Array.prototype.forEach.call(input.files, function (file) {
          var li = document.createElement("li");
          li.textContent = file.name + " (" + size(file.size) + ")";
          list.appendChild(li);
          if (max && file.size > max) tooBig.push(file.name);
        });
        list.hidden = input.files.length === 0;
        note.hidden = tooBig.length === 0;
        note.textContent = tooBig.length
          ? spocText(tooBig.length > 1
            ? "{0} are larger than the limit of {1} a file; choose a smaller file."
            : "{0} is larger than the limit of {1} a file; choose a smaller file.", [tooBig.join(", "), size(max)])
          : "";
        zone.classList.toggle("has-error", tooBig.length > 0);
      }
      function add(files) {
        var all = new DataTransfer();
        Array.prototype.forEach.call(input.files, function (f) { all.items.add(f); });
        Array.prototype.forEach.call(files, function (f, i) {
          var name = f.name && f.name !== "image.png" ? f.name : "screenshot-" + (Date.now() + i) + ".png";
          all.items.add(f.name === name ? f : new File([f], name, { type: f.type }));
        });
        input.files = all.files;
        show();
      }
      input.addEventListener("change", show);
      form.addEventListener("dragover", function (e) {
        if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) {
          e.preventDefault();
          form.classList.add("is-dropping");
        }
      });
      form.addEventListener("dragleave", function () { form.classList.remove("is-dropping"); });
      form.addEventListener("drop", function (e) {
        form.classList.remove("is-dropping");
        if (e.dataTransfer && e.dataTransfer.files.length) {
          e.preventDefault();
          add(e.dataTransfer.files);
        }
      });
      form.addEventListener("paste", function (e) {
        var files = e.clipboardData ? e.clipboardData.files : null;
        if (files && files.length) {
          e.preventDefault();
          add(files);
        }
      });
    });
  }

  // "Preview": the message as the history will show it, rendered by the server's safe Markdown
  // renderer (the answer is already sanitised HTML).
  function markdownPreview() {
    var previews = document.querySelectorAll("[data-preview-for]");
    Array.prototype.forEach.call(previews, function (box) {
      var source = document.getElementById(box.getAttribute("data-preview-for"));
      var button = box.querySelector("button");
      var out = box.querySelector(".md-preview-body");
      if (!source || !button || !out || !window.fetch) return;
      box.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") === "true";
        if (open) {
          button.setAttribute("aria-expanded", "false");
          button.textContent = spocText("Preview");
          out.hidden = true;
          return;
        }
        var body = new URLSearchParams();
        body.set("csrf", box.getAttribute("data-csrf"));
        body.set("body", source.value);
        fetch("/preview", { method: "POST", credentials: "same-origin", body: body })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (html) {
            out.innerHTML = html;
            out.hidden = false;
            button.setAttribute("aria-expanded", "true");
            button.textContent = spocText("Hide preview");
          })
          .catch(function () {
            out.textContent = spocText("The preview could not be loaded; the message is still sent as written.");
            out.hidden = false;
          });
      });
      source.addEventListener("input", function () {
        if (button.getAttribute("aria-expanded") === "true") {
          button.setAttribute("aria-expanded", "false");
          button.textContent = spocText("Preview");
          out.hidden = true;
        }
      });
    });
  }

  // "@" in the agent's message offers the colleagues who can see the ticket (a list the server
  // put in the page); arrow keys move, Enter or Tab inserts "@Full Name", Escape closes.
  function mentionPicker() {
    var area = document.querySelector("textarea[data-mentions]");
    var list = area && document.getElementById(area.getAttribute("data-mentions"));
    if (!area || !list) return;
    var options = Array.prototype.slice.call(list.querySelectorAll("li[data-name]"));
    if (!options.length) return;
    area.parentNode.insertBefore(list, area.nextSibling);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    var shown = [], active = -1, start = -1;
    function close() {
      list.hidden = true;
      shown = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }
    function mark() {
      shown.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      if (shown[active]) area.setAttribute("aria-activedescendant", shown[active].id);
    }
    function pick(li) {
      var before = area.value.slice(0, start);
      var after = area.value.slice(area.selectionStart);
      var text = "@" + li.getAttribute("data-name") + " ";
      area.value = before + text + after;
      var caret = before.length + text.length;
      area.setSelectionRange(caret, caret);
      close();
      area.focus();
    }
    function update() {
      var upto = area.value.slice(0, area.selectionStart);
      var m = /(^|\s)@([^@\n]{0,40})$/.exec(upto);
      if (!m) { close(); return; }
      start = upto.length - m[2].length - 1;
      var q = m[2].toLowerCase();
      shown = options.filter(function (li) {
        var hit = li.getAttribute("data-name").toLowerCase().indexOf(q) === 0;
        li.hidden = !hit;
        return hit;
      });
      if (!shown.length) { close(); return; }
      list.hidden = false;
      active = 0;
      mark();
    }
    area.addEventListener("input", update);
    area.addEventListener("blur", function () { setTimeout(close, 150); });
    area.addEventListener("keydown", function (e) {
      if (list.hidden || !shown.length) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
        mark();
      } else if ((e.key === "Enter" && !(e.ctrlKey || e.metaKey)) || e.key === "Tab") {
        e.preventDefault();
        e.stopPropagation();
        pick(shown[active]);
      } else if (e.key === "Escape") {
        e.preventDefault();
        close();
      }
    });
    list.addEventListener("mousedown", function (e) {
      var li = e.target.closest("li[data-name]");
      if (li) { e.preventDefault(); pick(li); }
    });
  }

  // The canned-response picker: Insert puts the chosen text (already filled for the ticket by
  // the server) into the message at the cursor.
  function cannedPicker() {
    var box = document.querySelector("[data-canned-for]");
    var area = box && document.getElementById(box.getAttribute("data-canned-for"));
    if (!box || !area) return;
    var select = box.querySelector("select");
    var button = box.querySelector("button");
    box.hidden = false;
    button.addEventListener("click", function () {
      var option = select.options[select.selectedIndex];
      if (!option) return;
      var text = option.getAttribute("data-text") || "";
      var at = area.selectionStart || 0, end = area.selectionEnd || at;
      if (document.activeElement !== area && area.value && at === 0 && end === 0) at = end = area.value.length;
      area.value = area.value.slice(0, at) + text + area.value.slice(end);
      area.focus();
      area.setSelectionRange(at + text.length, at + text.length);
      area.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    startLive();
    sendShortcut();
    focusFirstError();
    suggestArticles();
    composerFiles();
    markdownPreview();
    mentionPicker();
    cannedPicker();
  });
  // lane lead: the "Hide system events" choice of the history is kept in this browser.
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("hide-system");
    if (!box) return;
    try { box.checked = window.localStorage.getItem("spoc.hideSystem") === "1"; } catch (e) { /* storage off */ }
    box.addEventListener("change", function () {
      try { window.localStorage.setItem("spoc.hideSystem", box.checked ? "1" : "0"); } catch (e) { /* storage off */ }
    });
  });
  // lane lead: the article editor shows the known-error fields for known errors only.
  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelector("fieldset[data-for-kind]");
    var kind = document.getElementById("a-kind");
    if (!fields || !kind) return;
    var show = function () { fields.hidden = kind.value !== fields.getAttribute("data-for-kind"); };
    kind.addEventListener("change", show);
    show();
  });
})();

/* lane people: the header's unread-notification badge, kept current live */
(function () {
  "use strict";

  function startUnreadBadge() {
    var badge = document.getElementById("unread-badge");
    var count = document.getElementById("unread-count");
    if (!badge || !count || !window.fetch) return;
    var pending = null;
    function ask() {
      pending = null;
      fetch("/desk/notifications/unread", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          count.textContent = data.badge;
          badge.hidden = !data.badge;
        })
        .catch(function () {});
    }
    function soon() {
      if (pending) return;
      pending = setTimeout(ask, 400);
    }
    ask();
    // A ticket change may carry a notification (an escalation, an SLA warning); others (SOP
    // reviews) are caught by the minute's check.
    if (window.EventSource) {
      var source = new EventSource("/desk/live");
      source.addEventListener("ticket", soon);
      source.addEventListener("resync", soon);
      window.addEventListener("pagehide", function () { source.close(); });
    }
    setInterval(ask, 60000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) soon(); });
  }

  document.addEventListener("DOMContentLoaded", startUnreadBadge);
})();

/* lane queue: keyboard shortcuts (queue and ticket page), bulk selection */
// j/k move the row cursor, Enter opens, x selects; on a ticket a/r/n/e go to assign, reply,
// note and escalate; "/" focuses search; "?" lists the shortcuts. Off while typing in a field.
(function () {
  "use strict";

  var SHORTCUTS = [
    ["j / k", "Next / previous ticket in the queue"],
    ["Enter", "Open the ticket"],
    ["x", "Select or unselect the ticket"],
    ["a", "Assign (on a ticket)"],
    ["r", "Reply (on a ticket)"],
    ["n", "Internal note (on a ticket)"],
    ["e", "Escalate (on a ticket)"],
    ["/", "Search"],
    ["?", "This list"]
  ];

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    if (target.isContentEditable || tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    var type = (target.getAttribute("type") || "text").toLowerCase();
    return ["checkbox", "radio", "button", "submit", "reset"].indexOf(type) < 0;
  }

  function dialog() {
    var d = document.getElementById("shortcuts");
    if (d) return d;
    d = document.createElement("dialog");
    d.id = "shortcuts";
    d.className = "shortcuts";
    d.setAttribute("aria-labelledby", "shortcuts-title");
    var h = document.createElement("h2");
    h.id = "shortcuts-title";
    h.textContent = spocText("Keyboard shortcuts");
    d.appendChild(h);
    var dl = document.createElement("dl");
    dl.className = "shortcut-list";
    SHORTCUTS.forEach(function (s) {
      var dt = document.createElement("dt");
      var kbd = document.createElement("kbd");
      kbd.textContent = s[0];
      dt.appendChild(kbd);
      var dd = document.createElement("dd");
      dd.textContent = spocText(s[1]);
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    d.appendChild(dl);
    var note = document.createElement("p");
    note.className = "muted small";
    note.textContent = spocText("Shortcuts are off while you type in a field.");
    d.appendChild(note);
    var form = document.createElement("form");
    form.method = "dialog";
    var close = document.createElement("button");
    close.className = "button";
    close.type = "submit";
    close.textContent = spocText("Close");
    form.appendChild(close);
    d.appendChild(form);
    document.body.appendChild(d);
    return d;
  }

  function showShortcuts() {
    var d = dialog();
    if (d.open) d.close();
    else if (d.showModal) d.showModal();
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#queue-table tbody tr.queue-row"));
  }

  var cursor = -1;
  function moveCursor(step) {
    var all = rows();
    if (!all.length) return;
    if (cursor >= all.length) cursor = all.length - 1;
    all.forEach(function (r) { r.classList.remove("is-cursor"); });
    cursor = Math.max(0, Math.min(all.length - 1, cursor < 0 ? 0 : cursor + step));
    var row = all[cursor];
    row.classList.add("is-cursor");
    var link = row.querySelector("a.queue-open") || row.querySelector("a");
    if (link) link.focus();
    if (row.scrollIntoView) row.scrollIntoView({ block: "nearest" });
  }

  function cursorRow() {
    var all = rows();
    return cursor >= 0 && cursor < all.length ? all[cursor] : null;
  }

  function updateCount() {
    var count = document.getElementById("bulk-count");
    if (!count) return;
    var n = document.querySelectorAll("#queue-table .row-select:checked").length;
    count.textContent = n === 0 ? spocText("Select tickets to act on several at once.")
      : n === 1 ? spocText("1 ticket selected.") : spocText("{0} tickets selected.", [n]);
    var all = document.getElementById("select-all");
    if (all) all.checked = n > 0 && n === document.querySelectorAll("#queue-table .row-select").length;
  }

  function openDetails(control) {
    if (!control) return false;
    var details = control.closest ? control.closest("details") : null;
    if (details) details.open = true;
    control.focus();
    return true;
  }

  function composer(internal) {
    var body = document.getElementById("body") || document.querySelector("textarea[name=body]");
    // The composer's mode decides what Ctrl+Enter posts: n makes it a note, r a reply.
    var mode = document.querySelector("form.composer input[name=mode]");
    if (mode) mode.value = internal ? "note" : "reply";
    var panel = document.querySelector(".composer-panel");
    if (panel) panel.classList.toggle("composer-note", internal);
    if (body) body.focus();
  }

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (typing(e.target)) return;
    var inDialog = document.getElementById("shortcuts");
    if (inDialog && inDialog.open && e.key !== "?") return;
    var queue = document.getElementById("queue-table");
    var ticket = document.querySelector("[data-live=ticket]");
    var handled = true;
    switch (e.key) {
      case "?": showShortcuts(); break;
      case "/": handled = openDetails(document.getElementById("q")); break;
      case "j": if (queue) moveCursor(1); else handled = false; break;
      case "k": if (queue) moveCursor(-1); else handled = false; break;
      case "x": {
        var row = queue && cursorRow();
        var box = row && row.querySelector(".row-select");
        if (box) { box.checked = !box.checked; updateCount(); } else handled = false;
        break;
      }
      case "Enter": {
        var current = queue && cursorRow();
        if (current && e.target.tagName !== "A" && e.target.tagName !== "BUTTON") {
          window.location.href = current.getAttribute("data-href");
        } else handled = false;
        break;
      }
      case "a": handled = !!ticket && openDetails(document.getElementById("assign-target")); break;
      case "e": handled = !!ticket && openDetails(document.getElementById("escalate-escalation")); break;
      case "r": if (ticket) composer(false); else handled = false; break;
      case "n": if (ticket) composer(true); else handled = false; break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("keydown", onKey);
    var help = document.getElementById("shortcuts-open");
    if (help) {
      help.hidden = false;
      help.addEventListener("click", showShortcuts);
    }
    document.addEventListener("change", function (e) {
      var t = e.target;
      if (t && t.id === "select-all") {
        Array.prototype.forEach.call(document.querySelectorAll("#queue-table .row-select"), function (b) { b.checked = t.checked; });
        updateCount();
      } else if (t && t.classList && t.classList.contains("row-select")) {
        updateCount();
      }
    });
    // A link focused by j/k keeps the cursor on its row when focus moves with Tab.
    document.addEventListener("focusin", function (e) {
      var row = e.target && e.target.closest ? e.target.closest("#queue-table tbody tr.queue-row") : null;
      if (!row) return;
      var all = rows();
      all.forEach(function (r) { r.classList.remove("is-cursor"); });
      cursor = all.indexOf(row);
      row.classList.add("is-cursor");
    });
  });
})();
