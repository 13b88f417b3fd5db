// The seat during a call: draw the live transcript and the suggestions as they arrive, and
// fill the ticket form from them until the agent changes a field. Ctrl+Enter submits;
// Alt+A ticks "answered on the call", Alt+U "urgent". Nothing here decides anything: the
// suggestions come from the server's triage rules.
(function () {
  "use strict";
  var form = document.getElementById("seat-form");
  var list = document.getElementById("live");
  if (!list) { return; }
  var source = form ? form.dataset.live : location.pathname + "/live";
  var touched = {};
  var fields = ["f-summary", "f-category", "f-community", "f-grid", "f-urgent"];

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
    var said = body.segments.filter(function (x) { return x.track === "inbound"; })
      .map(function (x) { return x.text; }).join(" ");
    fill("f-summary", said);
    fill("f-category", s.category);
    fill("f-community", s.community);
    fill("f-grid", s.grid);
    fill("f-urgent", s.urgent);
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
