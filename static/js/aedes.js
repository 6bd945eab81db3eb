/* The Aedes household survey (入户调查) on a phone, the week's map and the BI trend chart.
 *
 * Each household is one outbox entry (outbox.js) keyed by a UUID made here (`client_id`): the
 * server saves a replayed household once. Entries are sent oldest first when the page opens,
 * when the browser says it is online again, and every 5 s while something waits; the list of
 * households waiting is shown. Submitting the survey is held back while the outbox is not empty.
 */
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // The week's map (JSON points) --------------------------------------------------------------
  function initMap(el) {
    if (!window.L) return;
    var map = L.map(el, { attributionControl: false });
    var tiles = document.body.dataset.tileUrl;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    map.setView([31.467, 104.683], 13);
    fetch(el.dataset.aedesMap, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var markers = (data.points || []).map(function (p) {
        var positive = p.positive > 0;
        var m = L.circleMarker([p.lat, p.lng], {
          radius: positive ? 6 : 4, weight: 2, color: positive ? "#b91c1c" : "#15803d", fillOpacity: 0.7, className: positive ? "aedes-positive" : "aedes-negative",
        });
        m.bindTooltip(p.address + (positive ? " · " + el.dataset.positive + " " + p.positive : ""));
        m.on("click", function () { window.location.href = el.dataset.surveyUrl ? el.dataset.surveyUrl.replace("/0/", "/" + p.survey + "/") : "#"; });
        return m;
      });
      if (markers.length) {
        var group = L.featureGroup(markers).addTo(map);
        map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 17 });
      }
      el.dataset.points = markers.length;
      el.dataset.ready = "1";
    }).catch(function () { el.dataset.ready = "1"; });
  }

  // The weekly BI trend (ECharts) -----------------------------------------------------------
  function initChart(el) {
    if (!window.echarts) return;
    var data = readJSON(el.dataset.aedesChart) || {};
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 20, bottom: 30 },
      xAxis: { type: "category", data: data.labels || [] },
      yAxis: { type: "value", min: 0 },
      series: [{
        name: data.name, type: "line", data: data.values || [], connectNulls: false,
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed" },
          data: (data.levels || []).map(function (v) { return { yAxis: v }; }) },
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }

  window.addEventListener("load", function () {
    document.querySelectorAll("[data-aedes-map]").forEach(initMap);
    document.querySelectorAll("[data-aedes-chart]").forEach(initChart);
  });

  // The phone page ----------------------------------------------------------------------------
  var root = document.getElementById("aedes-survey");
  if (!root || !window.Outbox) return;
  var surveyId = "survey-" + root.dataset.survey;
  var strings = document.getElementById("i18n-strings").dataset;
  var syncEl = document.getElementById("sync");
  var form = document.getElementById("visit-form");
  var errorEl = document.getElementById("visit-error");
  var box = Outbox.open("chuangwei-aedes");
  var lastStamp = 0;
  var correctedPhoto = null;  // the photo of a refused entry being corrected

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

  function summary(body) {
    var wet = 0, positive = 0;
    Object.keys(body.containers).forEach(function (k) { wet += body.containers[k].wet; positive += body.containers[k].positive; });
    return body.address + " · " + strings.wet + " " + wet + " · " + strings.positive + " " + positive;
  }

  function showPending(entries) {
    var list = document.getElementById("pending-list");
    list.innerHTML = "";
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      li.textContent = summary(entry.body) + " · " + strings.waiting;
      li.dataset.clientId = entry.body.client_id;
      list.appendChild(li);
    });
    document.getElementById("submit-hint").hidden = entries.length === 0;
    syncEl.dataset.pending = entries.length;
  }

  // Entries the server refused: kept on the phone until corrected (back into the form) or discarded.
  function showRefused(entries) {
    var section = document.getElementById("refused");
    var list = document.getElementById("refused-list");
    list.innerHTML = "";
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      li.dataset.clientId = entry.body.client_id;
      var text = document.createElement("span");
      text.textContent = summary(entry.body) + " · " + entry.refused + " ";
      var fix = document.createElement("button");
      fix.type = "button"; fix.className = "btn btn-small"; fix.textContent = strings.correct;
      fix.dataset.testid = "refused-correct";
      fix.addEventListener("click", function () {
        fillForm(entry);
        box.remove(entry.key).then(refreshRefused);
      });
      var drop = document.createElement("button");
      drop.type = "button"; drop.className = "btn btn-small"; drop.textContent = strings.discard;
      drop.dataset.testid = "refused-discard";
      drop.addEventListener("click", function () {
        if (window.confirm(strings.discardConfirm)) box.remove(entry.key).then(refreshRefused);
      });
      li.appendChild(text); li.appendChild(fix); li.appendChild(document.createTextNode(" ")); li.appendChild(drop);
      list.appendChild(li);
    });
    section.hidden = entries.length === 0;
  }

  function refreshRefused() { return box.refused(surveyId).then(showRefused); }

  function fillForm(entry) {
    var body = entry.body;
    form.querySelector("[name=address]").value = body.address || "";
    form.querySelector("[name=note]").value = body.note || "";
    form.querySelector("[name=lat]").value = body.lat || "";
    form.querySelector("[name=lng]").value = body.lng || "";
    form.querySelectorAll("tr[data-type]").forEach(function (row) {
      var counts = body.containers[row.dataset.type] || {};
      ["wet", "positive", "larvae", "treated"].forEach(function (name) {
        row.querySelector("[name=" + name + "]").value = counts[name] ? counts[name] : "";
      });
    });
    correctedPhoto = entry.photo ? { file: entry.photo, name: entry.photoName } : null;
    document.getElementById("photo-name").textContent = correctedPhoto ? correctedPhoto.name || "" : "";
    errorEl.textContent = entry.refused; errorEl.hidden = false;
    form.querySelector("[name=address]").focus();
  }

  function showState(state, count, message) {
    syncEl.dataset.state = state;
    if (state === "offline") syncEl.textContent = strings.offline.replace("{n}", count);
    else if (state === "saving") syncEl.textContent = strings.saving;
    else if (state === "error") syncEl.textContent = strings.failed + message;
    else if (state === "login") syncEl.textContent = strings.login;
    else syncEl.textContent = strings.saved;
  }

  function send(entry) {
    var data = new FormData();
    data.append("data", JSON.stringify(entry.body));
    if (entry.photo) data.append("photo", entry.photo, entry.photoName || "photo.jpg");
    return fetch(root.dataset.saveUrl, {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
    });
  }

  function applied(entry, ok, json) {
    if (!ok) return;
    document.getElementById("households").textContent = json.counts.households;
    document.getElementById("positive").textContent = json.counts.containers_positive;
    document.getElementById("bi").textContent = json.breteau_index || "—";
    if (json.created) {
      var li = document.createElement("li");
      li.textContent = summary(entry.body) + (json.case ? " · " + json.case : "");
      var list = document.getElementById("saved-list");
      list.insertBefore(li, list.firstChild);
    }
  }

  function flush() {
    return box.pending(surveyId).then(function (entries) {
      showPending(entries);
      if (!entries.length) { if (syncEl.dataset.state !== "error") showState("ok", 0); return; }
      showState("saving", entries.length);
      return box.flush(surveyId, send, applied).then(function (state) {
        refreshRefused();
        return box.pending(surveyId).then(function (left) {
          showPending(left);
          if (state.stopped) showState("login", left.length);
          else if (state.offline) showState("offline", left.length);
          else if (state.error) showState("error", left.length, state.error);
          else showState("ok", 0);
        });
      });
    });
  }

  function readForm() {
    var containers = {};
    var problem = "";
    form.querySelectorAll("tr[data-type]").forEach(function (row) {
      function value(name) {
        var n = parseInt(row.querySelector("[name=" + name + "]").value, 10);
        return isNaN(n) || n < 0 ? 0 : n;
      }
      var counts = { wet: value("wet"), positive: value("positive"), larvae: value("larvae"), treated: value("treated") };
      var label = row.cells[0].textContent;
      if (problem) return;
      if (counts.positive > counts.wet) problem = strings.tooMany + label;
      else if (counts.treated > counts.wet) problem = strings.tooManyTreated + label;
      else if (counts.larvae && !counts.positive) problem = strings.larvae + label;
      if (counts.wet || counts.positive || counts.larvae || counts.treated) containers[row.dataset.type] = counts;
    });
    var lat = form.querySelector("[name=lat]").value, lng = form.querySelector("[name=lng]").value;
    return {
      problem: problem,
      body: {
        client_id: uuid(),
        address: form.querySelector("[name=address]").value.trim(),
        lat: lat || null, lng: lng || null,
        note: form.querySelector("[name=note]").value.trim(),
        containers: containers,
      },
    };
  }

  var photoInput = form.querySelector("[name=photo]");
  photoInput.addEventListener("change", function () {
    document.getElementById("photo-name").textContent = photoInput.files.length ? photoInput.files[0].name : "";
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var read = readForm();
    errorEl.hidden = true;
    if (!read.body.address) { errorEl.textContent = strings.address; errorEl.hidden = false; return; }
    if (read.body.address.length > 100 || read.body.note.length > 200) {
      errorEl.textContent = strings.tooLong; errorEl.hidden = false; return;
    }
    if (read.problem) { errorEl.textContent = read.problem; errorEl.hidden = false; return; }
    var stamp = Math.max(Date.now(), lastStamp + 1);
    lastStamp = stamp;
    var file = photoInput.files.length ? photoInput.files[0] : null;
    var entry = { key: surveyId + ":" + read.body.client_id, group: surveyId, stamp: stamp, body: read.body };
    if (file) { entry.photo = file; entry.photoName = file.name; }
    else if (correctedPhoto) { entry.photo = correctedPhoto.file; entry.photoName = correctedPhoto.name; }
    correctedPhoto = null;
    box.put(entry).then(function () {
      form.reset();
      form.querySelector("[name=lat]").value = "";
      form.querySelector("[name=lng]").value = "";
      document.getElementById("photo-name").textContent = "";
      form.querySelector("[name=address]").focus();
      return flush();
    });
  });

  document.getElementById("submit-form").addEventListener("submit", function (event) {
    var submit = event.target;
    if (submit.dataset.ready === "1") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    flush().then(function () { return box.pending(surveyId); }).then(function (left) {
      if (left.length) { showState("offline", left.length); return; }
      if (submit.dataset.confirm && !window.confirm(submit.dataset.confirm)) return;
      submit.dataset.ready = "1";
      submit.querySelector("[name=csrfmiddlewaretoken]").value = csrfToken();
      submit.submit();
    });
  }, true);

  window.addEventListener("online", flush);
  refreshRefused();
  setInterval(function () { if (Number(syncEl.dataset.pending) > 0) flush(); }, 5000);
  flush();
})();
