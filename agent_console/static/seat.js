// The seat during a call: draw the live transcript and the suggestions as they arrive, and
// fill the ticket form from them until the agent changes a field. Ctrl+Enter submits;
// Alt+A ticks "answered on the call", Alt+U "urgent". Nothing here decides anything: the
// suggestions come from the server's triage rules and knowledge-base search. Alt+1..3 opens a
// suggested article, Alt+K searches the knowledge base; "Answer with this article" links it to
// the ticket and ticks "answered".
(function () {
  "use strict";
  var form = document.getElementById("seat-form");
  var list = document.getElementById("live");
  if (!list) { return; }
  var source = form ? form.dataset.live : location.pathname + "/live";
  var touched = {};
  var fields = ["f-summary", "f-category", "f-community", "f-grid", "f-urgent"];
  var panel = document.getElementById("kb-panel");
  var shownArticles = "";

  fields.forEach(function (id) {
    var field = document.getElementById(id);
    if (!field) { return; }
    ["input", "change"].forEach(function (kind) {
      field.addEventListener(kind, function (event) {
        if (event.isTrusted) { touched[id] = true; }
      });
    });
  });

  function fill(id, value) {
    var field = document.getElementById(id);
    if (!field || touched[id] || value === null || value === undefined) { return; }
    if (field.type === "checkbox") { field.checked = Boolean(value); return; }
    if (field.tagName === "SELECT" && !field.querySelector('option[value="' + value + '"]')) { return; }
    field.value = value;
  }

  function label(id, text, select) {
    // Show a code by the name its form field gives it (the category in the agent's language).
    var node = document.getElementById(id);
    if (!node) { return; }
    var option = select && text ? document.querySelector("#" + select + ' option[value="' + text + '"]') : null;
    node.textContent = option ? option.textContent : (text === null || text === undefined || text === "" ? "—" : text);
    node.dataset.code = text || "";
  }

  function draw(body) {
    var caller = list.dataset.caller, agent = list.dataset.agent;
    list.textContent = "";
    body.segments.forEach(function (segment) {
      var item = document.createElement("li");
      item.className = (segment.track === "inbound" ? "caller" : "agent") + (segment.final ? "" : " partial");
      item.dataset.track = segment.track;
      item.dataset.final = segment.final ? "1" : "0";
      var who = document.createElement("strong");
      who.textContent = (segment.track === "inbound" ? caller : agent) + " ";
      item.appendChild(who);
      item.appendChild(document.createTextNode(segment.text));
      list.appendChild(item);
    });
    var empty = document.getElementById("live-empty");
    if (empty) { empty.hidden = body.segments.length > 0; }
    var status = document.getElementById("call-status");
    if (status && body.status === "final") { status.dataset.final = "1"; }
    var s = body.suggestions || {};
    label("s-category", s.category, "f-category");
    label("s-community", s.community, "f-community");
    label("s-grid", s.grid, "f-grid");
    label("s-places", (s.places || []).join("、"));
    label("s-urgent", s.urgent ? "!" : "");
    var duplicates = document.getElementById("s-duplicates");
    if (duplicates) {
      duplicates.textContent = (s.duplicates || []).length ? "" : "—";
      (s.duplicates || []).forEach(function (reference) {
        var link = document.createElement("a");
        link.href = "/console/tickets/" + reference;
        link.textContent = reference + " ";
        duplicates.appendChild(link);
      });
    }
    drawArticles(s.articles || []);
    var said = body.segments.filter(function (x) { return x.track === "inbound"; })
      .map(function (x) { return x.text; }).join(" ");
    fill("f-summary", said);
    fill("f-category", s.category);
    fill("f-community", s.community);
    fill("f-grid", s.grid);
    fill("f-urgent", s.urgent);
  }

  function drawArticles(articles) {
    var box = document.getElementById("kb-suggested");
    var codes = articles.map(function (a) { return a.code; }).join(" ");
    if (!box || codes === shownArticles) { return; }  // keep focus while the agent reads
    shownArticles = codes;
    box.textContent = "";
    articles.forEach(function (article) {
      var item = document.createElement("li");
      item.dataset.code = article.code;
      var open = document.createElement("button");
      open.type = "button";
      open.className = "link kb-open";
      open.dataset.code = article.code;
      open.textContent = article.title;
      var snippet = document.createElement("div");
      snippet.className = "muted";
      snippet.innerHTML = article.snippet;  // escaped by the server, matches in <mark>
      item.appendChild(open);
      item.appendChild(snippet);
      box.appendChild(item);
    });
    if (!articles.length) { box.innerHTML = '<li class="muted">—</li>'; }
  }

  function load(url, target, then) {
    fetch(url, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : ""; })
      .then(function (html) { target.innerHTML = html; if (then) { then(); } });
  }

  function openArticle(code) {
    var language = panel ? panel.dataset.language : "zh-CN";
    var url = "/console/kb/" + encodeURIComponent(code) + "?partial=1&source=seat&language=" +
      encodeURIComponent(language);
    load(url, document.getElementById("kb-article"), function () {
      var use = document.getElementById("kb-use");
      if (use) { use.focus(); }
    });
  }

  function useArticle(button) {
    var article = document.getElementById("f-article");
    if (!article) { return; }
    article.value = button.dataset.code;
    var answered = document.getElementById("f-answered");
    if (answered) { answered.checked = true; touched["f-answered"] = true; }
    var chosen = document.getElementById("kb-chosen");
    if (chosen) { chosen.textContent = chosen.dataset.label + " " + button.dataset.title; }
    var summary = document.getElementById("f-summary");
    if (summary) { summary.focus(); }
  }

  if (panel) {
    panel.addEventListener("click", function (event) {
      var open = event.target.closest(".kb-open");
      if (open) { openArticle(open.dataset.code); return; }
      var use = event.target.closest("#kb-use");
      if (use) { useArticle(use); }
    });
    var search = document.getElementById("kb-search");
    search.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = document.getElementById("kb-q").value;
      var url = "/console/kb/results?source=seat&q=" + encodeURIComponent(q) +
        "&language=" + encodeURIComponent(panel.dataset.language);
      var results = document.getElementById("kb-results");
      load(url, results, function () {
        var first = results.querySelector(".kb-open");
        if (first) { first.focus(); }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (!event.altKey) { return; }
      var key = event.key.toLowerCase();
      if (key === "k") {
        event.preventDefault();
        document.getElementById("kb-q").focus();
      } else if (key === "1" || key === "2" || key === "3") {
        var buttons = document.querySelectorAll("#kb-suggested .kb-open");
        var pick = buttons[Number(key) - 1];
        if (pick) { event.preventDefault(); openArticle(pick.dataset.code); }
      }
    });
  }

  function poll() {
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (body) {
        if (body) { draw(body); }
        if (!body || body.status !== "final") { setTimeout(poll, 700); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }

  if (form) {
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (!event.altKey) { return; }
      var target = { a: "f-answered", u: "f-urgent" }[event.key.toLowerCase()];
      if (target) {
        event.preventDefault();
        var box = document.getElementById(target);
        box.checked = !box.checked;
        touched[target] = true;
      }
    });
  }
  poll();
})();
