/* The phone score sheet: every change is saved item by item, through an outbox kept in
 * IndexedDB, so a dropped connection (or a reload while offline) loses nothing entered.
 *
 * - Each item's latest state is one outbox entry (key "sheet:item:id"); a newer edit replaces it.
 *   The server applies an entry only if its `stamp` (edit time, ms) is not older than the stored
 *   one, so replays after reconnecting are harmless.
 * - Photos are outbox entries too (the Blob itself), with a key the server uses to store a
 *   retried upload once.
 * - The running total is computed here with the same rules as apps/inspections/scoring.py,
 *   then replaced by the server's figure after each save.
 * - Submitting is held back while the outbox is not empty.
 */
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  if (!sheet) return;
  var sheetId = sheet.dataset.sheet;
  var csrf = sheet.dataset.csrf;
  var maxTotal = parseFloat(sheet.dataset.max) || 0;
  var strings = document.getElementById("i18n-strings").dataset;
  var syncEl = document.getElementById("sync");
  var DB_NAME = "chuangwei-inspections";
  var STORE = "outbox";
  var flushing = false;
  var again = false;
  var lastEdit = 0; // stamp of the newest local item edit
  var running = Promise.resolve(); // the flush in progress
  var memoryOutbox = {}; // used when IndexedDB is unavailable (private mode): survives a lost connection, not a reload

  // The token in the cookie, read at each send: logging in again (after a session expired) rotates it.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : csrf;
  }

  function urlFor(template, itemId) {
    return template.replace(/\/0\/(photos\/)?$/, "/" + itemId + "/$1");
  }

  // IndexedDB outbox --------------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve) {
    if (!window.indexedDB) return resolve(null);
    var request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { resolve(null); };
  });

  function tx(mode, work) {
    return dbPromise.then(function (db) {
      if (!db) return work(null);
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function put(entry) {
    return tx("readwrite", function (store) {
      if (!store) { memoryOutbox[entry.key] = entry; return null; }
      return store.put(entry);
    });
  }

  // Delete an entry once sent, unless a newer edit replaced it meanwhile (same key, later stamp).
  function removeSent(entry) {
    return tx("readwrite", function (store) {
      if (!store) {
        if (memoryOutbox[entry.key] && memoryOutbox[entry.key].stamp === entry.stamp) delete memoryOutbox[entry.key];
        return null;
      }
      var request = store.get(entry.key);
      request.onsuccess = function () {
        if (request.result && request.result.stamp === entry.stamp) store.delete(entry.key);
      };
      return null;
    });
  }

  function pending() {
    return tx("readonly", function (store) {
      if (!store) return Object.values(memoryOutbox);
      return store.getAll();
    }).then(function (all) {
      return (all || []).filter(function (entry) { return entry.sheet === sheetId; });
    });
  }

  // Arithmetic (mirror of scoring.py) ---------------------------------------------------------
  function round1(value) { return Math.round(value * 10) / 10; }

  function readItem(card) {
    var failed = card.querySelector("input[name=failed]");
    var count = card.querySelector("input[name=occurrences]");
    var found = card.querySelector("input[name=found]"); // a fixed deduction: on/off, sent as 0/1
    var occurrences = found ? (found.checked ? 1 : 0)
      : count ? Math.max(0, Math.min(999, parseInt(count.value, 10) || 0)) : 0;
    return {
      occurrences: occurrences,
      passed: failed ? !failed.checked : occurrences === 0,
      note: card.querySelector("textarea[name=note]").value,
    };
  }

  function deductionOf(card, state) {
    var max = parseFloat(card.dataset.max);
    var each = parseFloat(card.dataset.deduction) || 0;
    var cap = card.dataset.cap ? parseFloat(card.dataset.cap) : Infinity;
    var lost;
    if (card.dataset.rule === "pass_fail") lost = state.passed ? 0 : max;
    else if (card.dataset.rule === "fixed") lost = state.occurrences > 0 ? each : 0;
    else lost = Math.min(each * state.occurrences, cap);
    return round1(Math.min(lost, max));
  }

  function refresh(card) {
    var state = readItem(card);
    var lost = deductionOf(card, state);
    card.querySelector(".item-deduction span").textContent = lost.toFixed(1).replace(/\.0$/, "");
    card.querySelector(".item-extra").hidden = lost <= 0;
    card.classList.toggle("deducted", lost > 0);
    var total = maxTotal, vetoed = false;
    document.querySelectorAll(".sheet-item").forEach(function (other) {
      var otherLost = deductionOf(other, readItem(other));
      total -= otherLost;
      if (otherLost > 0 && other.dataset.veto === "1") vetoed = true;
    });
    document.getElementById("total").textContent = round1(total).toFixed(1);
    document.getElementById("veto").hidden = !vetoed;
    return state;
  }

  // Sync --------------------------------------------------------------------------------------
  function showState(state, count, message) {
    syncEl.dataset.state = state;
    syncEl.dataset.pending = count || 0;
    if (state === "offline") syncEl.textContent = strings.offline.replace("{n}", count);
    else if (state === "saving") syncEl.textContent = strings.saving;
    else if (state === "error") syncEl.textContent = strings.failed + message;
    else syncEl.textContent = strings.saved;
    document.getElementById("submit-hint").hidden = !(count > 0);
  }

  function send(entry) {
    if (entry.kind === "photo") {
      var data = new FormData();
      data.append("photo", entry.blob, entry.name || "photo.jpg");
      data.append("key", entry.photoKey);
      return fetch(urlFor(sheet.dataset.photoUrl, entry.item), {
        method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
      });
    }
    return fetch(urlFor(sheet.dataset.saveUrl, entry.item), {
      method: "POST",
      body: JSON.stringify(entry.body),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/json" },
    });
  }

  function applyServer(entry, json) {
    // The server's figures reflect this entry; a newer local edit still on its way would be undone.
    if (entry.kind === "photo" || entry.stamp < lastEdit) return;
    if (json.applied === false) {
      // The server holds a newer entry for this item (another device): show what counts.
      var card = document.querySelector('.sheet-item[data-item="' + entry.item + '"]');
      var count = card.querySelector("input[name=occurrences]");
      var failed = card.querySelector("input[name=failed]");
      var found = card.querySelector("input[name=found]");
      if (count) count.value = json.occurrences;
      if (found) found.checked = json.occurrences > 0;
      if (failed) failed.checked = !json.passed;
      card.querySelector("textarea[name=note]").value = json.note;
      refresh(card);
    }
    if (json.total !== undefined) document.getElementById("total").textContent = parseFloat(json.total).toFixed(1);
    document.getElementById("veto").hidden = !json.vetoed;
  }

  function flush() {
    if (flushing) { again = true; return running; } // entries queued meanwhile: one more pass after this
    flushing = true;
    again = false;
    running = pending().then(function (entries) {
      if (!entries.length) { showState("ok", 0); return; }
      showState("saving", entries.length);
      var chain = Promise.resolve(), left = entries.length, offline = false, lastError = "", stopped = "";
      entries.sort(function (a, b) { return (a.kind === "photo") - (b.kind === "photo") || a.stamp - b.stamp; });
      entries.forEach(function (entry) {
        chain = chain.then(function () {
          if (offline || stopped) return;
          return send(entry).then(function (response) {
            var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
            if (response.redirected || !isJson || response.status === 401 || response.status === 403) {
              // Logged out (the login page answered) or the session's token changed: keep the entry.
              stopped = strings.login; return;
            }
            return response.json().catch(function () { return {}; }).then(function (json) {
              if (response.ok) { applyServer(entry, json); left -= 1; return removeSent(entry); }
              if (response.status >= 500) { offline = true; return; } // try again later
              lastError = json.error || response.statusText; left -= 1; // refused for good: say why, drop it
              return removeSent(entry);
            });
          }, function () { offline = true; });
        });
      });
      return chain.then(function () {
        if (stopped) showState("error", left, stopped);
        else if (offline) showState("offline", left);
        else if (lastError) showState("error", 0, lastError);
        else showState("ok", 0);
      });
    }).finally(function () {
      flushing = false;
    }).then(function () {
      if (again) return flush();
    });
    return running;
  }

  function saveItem(card) {
    var state = refresh(card);
    var stamp = Math.max(Date.now(), lastEdit + 1); // strictly increasing, even within one millisecond
    lastEdit = stamp;
    var entry = {
      key: sheetId + ":item:" + card.dataset.item, sheet: sheetId, kind: "item", item: card.dataset.item, stamp: stamp,
      body: { occurrences: state.occurrences, passed: state.passed, note: state.note, stamp: stamp },
    };
    return put(entry).then(flush);
  }

  function savePhoto(card, file) {
    var photoKey = sheetId + "-" + card.dataset.item + "-" + Date.now() + "-" + Math.random().toString(36).slice(2, 8);
    var img = document.createElement("img");
    img.src = URL.createObjectURL(file);
    img.alt = "";
    card.querySelector(".thumbs").appendChild(img);
    var entry = {
      key: sheetId + ":photo:" + photoKey, sheet: sheetId, kind: "photo", item: card.dataset.item,
      stamp: Date.now(), photoKey: photoKey, blob: file, name: file.name,
    };
    return put(entry).then(flush);
  }

  // Wiring ------------------------------------------------------------------------------------
  var noteTimers = {};
  document.querySelectorAll(".sheet-item").forEach(function (card) {
    card.querySelectorAll("[data-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = card.querySelector("input[name=occurrences]");
        input.value = Math.max(0, (parseInt(input.value, 10) || 0) + parseInt(button.dataset.step, 10));
        saveItem(card);
      });
    });
    card.querySelectorAll("input[name=occurrences], input[name=failed], input[name=found]").forEach(function (input) {
      input.addEventListener("change", function () { saveItem(card); });
    });
    var note = card.querySelector("textarea[name=note]");
    note.addEventListener("input", function () {
      clearTimeout(noteTimers[card.dataset.item]);
      noteTimers[card.dataset.item] = setTimeout(function () { saveItem(card); }, 600);
    });
    note.addEventListener("blur", function () { clearTimeout(noteTimers[card.dataset.item]); saveItem(card); });
    card.querySelector("input[name=photo]").addEventListener("change", function (event) {
      Array.prototype.forEach.call(event.target.files, function (file) { savePhoto(card, file); });
      event.target.value = "";
    });
  });

  document.getElementById("submit-form").addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.ready === "1") return;
    event.preventDefault();
    var button = form.querySelector("button");
    if (button.disabled) return;
    button.disabled = true;
    Object.keys(noteTimers).forEach(function (key) { clearTimeout(noteTimers[key]); });
    var saves = [];
    document.querySelectorAll(".sheet-item textarea[name=note]").forEach(function (note) {
      if (note === document.activeElement) saves.push(saveItem(note.closest(".sheet-item")));
    });
    Promise.all(saves).then(flush).then(pending).then(function (entries) {
      if (entries.length) {
        if (syncEl.dataset.state !== "error") showState("offline", entries.length);
        button.disabled = false;
        return;
      }
      form.dataset.ready = "1";
      form.querySelector("[name=csrfmiddlewaretoken]").value = csrfToken();
      form.submit();
    });
  });

  window.addEventListener("online", flush);
  setInterval(function () {
    var state = syncEl.dataset.state;
    if (state === "offline" || (state === "error" && syncEl.dataset.pending > 0)) flush();
  }, 5000);

  // Entries kept from before a reload (e.g. the page was reopened after losing the connection):
  // show them over the server's older values, then send them.
  var loadedAt = Date.now();
  pending().then(function (entries) {
    entries.forEach(function (entry) {
      // Only entries left by an earlier visit; those made on this page already show.
      if (entry.kind !== "item" || entry.stamp >= loadedAt) return;
      var card = document.querySelector('.sheet-item[data-item="' + entry.item + '"]');
      if (!card) return;
      var count = card.querySelector("input[name=occurrences]");
      var failed = card.querySelector("input[name=failed]");
      var found = card.querySelector("input[name=found]");
      if (count) count.value = entry.body.occurrences;
      if (found) found.checked = entry.body.occurrences > 0;
      if (failed) failed.checked = !entry.body.passed;
      card.querySelector("textarea[name=note]").value = entry.body.note;
    });
    document.querySelectorAll(".sheet-item").forEach(refresh);
    flush();
  });
})();
