// Spoc's small progressive enhancements. Every page works without this file; with it:
// - open queues and ticket views refresh themselves when tickets change (server-sent events),
// - Ctrl+Enter (or Cmd+Enter) sends the message being written,
// - after a form comes back with errors, focus moves to the first field to fix,
// - while someone describes a new ticket in the portal, matching help articles are suggested.
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
    if (!force && (focusedWithin(here) || here.querySelector("details[open]"))) return false;
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
    source.addEventListener("resync", function () { refresh("The queue was updated."); });
  }

  function liveTicket(source, ticketId) {
    function refresh() {
      refetch(function (doc) {
        var changed = swap(doc, "timeline", true);
        swap(doc, "ticket-header", true);
        swap(doc, "ticket-actions", false);
        swap(doc, "sop-checklist", false);
        if (changed) banner("This ticket was just updated; the history below shows what changed.");
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

  document.addEventListener("DOMContentLoaded", function () {
    startLive();
    sendShortcut();
    focusFirstError();
    suggestArticles();
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
