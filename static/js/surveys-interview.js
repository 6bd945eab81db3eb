/* The interviewer's phone (调查员模式): renders the questionnaire from its JSON form (kept in
 * localStorage so a reload without a connection still shows it), and keeps each answer in the
 * outbox (outbox.js, the pattern of the Aedes household survey) under a UUID made here
 * (`client_uuid`): the server stores a replayed answer once. Answers are sent oldest first when
 * the page opens, when the browser is online again, every 5 s while some wait, and on the
 * "立即上传" button. An answer the server refuses (a closed survey) stays listed with the
 * server's message until discarded. Each answer keeps the version it was given on.
 */
(function () {
  "use strict";
  var root = document.getElementById("interview");
  if (!root || !window.Outbox) return;
  var qid = root.dataset.questionnaire;
  var group = "survey-" + qid;
  var strings = document.getElementById("i18n-strings").dataset;
  var syncEl = document.getElementById("sync");
  var countEl = document.getElementById("outbox-count");
  var form = document.getElementById("interview-form");
  var holder = document.getElementById("interview-questions");
  var errorEl = document.getElementById("interview-error");
  var box = Outbox.open("chuangwei-surveys");
  var cacheKey = "chuangwei-survey-form-" + qid;
  var payload = null;
  var lastStamp = 0;
  var saved = 0;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(data) {
    payload = data;
    holder.innerHTML = "";
    data.questions.forEach(function (q) {
      var set = el("fieldset", { "class": "card answer-q", "data-testid": "question", "data-question": q.number });
      var legend = el("legend", {}, q.number + ". " + q.text);
      if (q.kind === "multiple") legend.appendChild(el("span", { "class": "muted" }, " （" + strings.multiple + "）"));
      if (!q.required) legend.appendChild(el("span", { "class": "muted" }, " （" + strings.optional + "）"));
      set.appendChild(legend);
      if (q.help) set.appendChild(el("p", { "class": "muted" }, q.help));
      var wrap = q.kind === "scale" ? el("div", { "class": "answer-scale" }) : set;
      q.options.forEach(function (o) {
        var label = el("label", q.kind === "scale" ? {} : { "class": "opt" });
        var input = el("input", { type: q.kind === "multiple" ? "checkbox" : "radio", name: "q" + q.id, value: o.id });
        label.appendChild(input);
        label.appendChild(el("span", {}, o.text));
        wrap.appendChild(label);
      });
      if (wrap !== set) set.appendChild(wrap);
      holder.appendChild(set);
    });
    form.hidden = false;
    root.dataset.ready = "1";
  }

  function load() {
    return fetch(root.dataset.formUrl, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("application/json") !== 0) throw new Error("form");
      return r.json();
    }).then(function (data) {
      try { localStorage.setItem(cacheKey, JSON.stringify(data)); } catch (e) { /* private mode */ }
      render(data);
    }).catch(function () {
      var cached = null;
      try { cached = JSON.parse(localStorage.getItem(cacheKey) || "null"); } catch (e) { cached = null; }
      if (cached) render(cached);
      else document.getElementById("form-load-error").hidden = false;
    });
  }

  function summary(entry) {
    var d = new Date(entry.stamp);
    return strings.answer + " " + d.toLocaleTimeString();
  }

  function showPending(entries) {
    var list = document.getElementById("pending-list");
    list.innerHTML = "";
    entries.forEach(function (entry) {
      var li = el("li", { "data-client-uuid": entry.body.client_uuid }, summary(entry) + " · " + strings.waiting);
      list.appendChild(li);
    });
    syncEl.dataset.pending = entries.length;
    countEl.dataset.pending = entries.length;
    countEl.textContent = strings.pending.replace("{n}", entries.length);
  }

  function showRefused(entries) {
    var section = document.getElementById("refused");
    var list = document.getElementById("refused-list");
    list.innerHTML = "";
    entries.forEach(function (entry) {
      var li = el("li", { "data-client-uuid": entry.body.client_uuid });
      li.appendChild(el("span", { "data-testid": "refused-message" }, summary(entry) + " · " + entry.refused + " "));
      var drop = el("button", { type: "button", "class": "btn btn-small", "data-testid": "refused-discard" }, strings.discard);
      drop.addEventListener("click", function () {
        if (window.confirm(strings.discardConfirm)) box.remove(entry.key).then(refreshRefused);
      });
      li.appendChild(drop);
      list.appendChild(li);
    });
    section.hidden = entries.length === 0;
  }

  function refreshRefused() { return box.refused(group).then(showRefused); }

  function showState(state, count, message) {
    syncEl.dataset.state = state;
    if (state === "offline") syncEl.textContent = strings.offline.replace("{n}", count);
    else if (state === "saving") syncEl.textContent = strings.saving;
    else if (state === "error") syncEl.textContent = strings.failed + message;
    else if (state === "login") syncEl.textContent = strings.login;
    else syncEl.textContent = strings.saved;
  }

  function send(entry) {
    return fetch(root.dataset.submitUrl, {
      method: "POST", body: JSON.stringify(entry.body), credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/json" },
    });
  }

  function applied(entry, ok, json) {
    if (ok && json.created) { saved += 1; document.getElementById("saved-count").textContent = saved; }
  }

  function flush() {
    return box.pending(group).then(function (entries) {
      showPending(entries);
      if (!entries.length) { if (syncEl.dataset.state !== "error") showState("ok", 0); return; }
      showState("saving", entries.length);
      return box.flush(group, send, applied).then(function (state) {
        refreshRefused();
        return box.pending(group).then(function (left) {
          showPending(left);
          if (state.stopped) showState("login", left.length);
          else if (state.offline) showState("offline", left.length);
          else if (state.error) showState("error", left.length, state.error);
          else showState("ok", 0);
        });
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!payload) return;
    errorEl.hidden = true;
    var answers = {};
    var missing = null;
    payload.questions.forEach(function (q) {
      var picked = Array.prototype.map.call(form.querySelectorAll("[name=q" + q.id + "]:checked"), function (i) { return Number(i.value); });
      if (picked.length) answers[q.id] = picked;
      else if (q.required && missing === null) missing = q.number;
    });
    if (missing !== null) {
      errorEl.textContent = strings.required.replace("{n}", missing); errorEl.hidden = false;
      var target = holder.querySelector("[data-question='" + missing + "']");
      if (target && target.scrollIntoView) target.scrollIntoView({ block: "center" });
      return;
    }
    var stamp = Math.max(Date.now(), lastStamp + 1);
    lastStamp = stamp;
    var body = { client_uuid: uuid(), version: payload.version, answers: answers, answered_at: new Date(stamp).toISOString() };
    box.put({ key: group + ":" + body.client_uuid, group: group, stamp: stamp, body: body }).then(function () {
      form.reset();
      window.scrollTo(0, 0);
      return flush();
    });
  });

  document.getElementById("outbox-retry").addEventListener("click", flush);
  window.addEventListener("online", flush);
  setInterval(function () { if (Number(syncEl.dataset.pending) > 0) flush(); }, 5000);
  load();
  refreshRefused();
  flush();
})();
