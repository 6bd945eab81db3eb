/* A generic outbox kept in IndexedDB, for pages that must work with a poor connection: each
 * entry is stored on the phone first, then sent in order (oldest first) by the page's `send`
 * function; an entry leaves the outbox only when the server saved it. An entry the server refused
 * (4xx with a message) is kept, marked `refused` with the message, out of the sending queue, until
 * the page corrects it (remove + put again) or discards it (remove). Entries survive a lost connection and a reload; without IndexedDB (private mode) they
 * are kept in memory (they then survive a lost connection, not a reload).
 *
 *   var box = Outbox.open("chuangwei-aedes");
 *   box.put({ key: "...", group: "survey-7", stamp: Date.now(), ... }).then(...);
 *   box.pending("survey-7").then(function (entries) { ... });   // waiting to be sent
 *   box.refused("survey-7").then(function (entries) { ... });   // refused: to correct or discard
 *   box.flush("survey-7", send, onResult)   // send(entry) -> fetch promise
 *     -> { left, offline, stopped, error }
 *
 * The server must make a replay harmless (the aedes visits carry a client-made UUID).
 */
(function () {
  "use strict";
  var STORE = "outbox";

  function open(name) {
    var memory = {};
    var flushing = null;
    var dbPromise = new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(null);
      var request;
      try { request = indexedDB.open(name, 1); } catch (e) { return resolve(null); }
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { resolve(null); };
    });

    function tx(mode, work) {
      return dbPromise.then(function (db) {
        if (!db) return work(null);
        return new Promise(function (resolve, reject) {
          var transaction = db.transaction(STORE, mode);
          var request = work(transaction.objectStore(STORE));
          transaction.oncomplete = function () { resolve(request && request.result !== undefined ? request.result : null); };
          transaction.onerror = function () { reject(transaction.error); };
        });
      });
    }

    function put(entry) {
      return tx("readwrite", function (store) {
        if (!store) { memory[entry.key] = entry; return null; }
        return store.put(entry);
      });
    }

    function remove(key) {
      return tx("readwrite", function (store) {
        if (!store) { delete memory[key]; return null; }
        return store.delete(key);
      });
    }

    function all(group) {
      return tx("readonly", function (store) {
        if (!store) return { result: Object.values(memory) };
        return store.getAll();
      }).then(function (entries) {
        return (entries || []).filter(function (e) { return !group || e.group === group; })
          .sort(function (a, b) { return a.stamp - b.stamp; });
      });
    }

    function pending(group) {
      return all(group).then(function (entries) { return entries.filter(function (e) { return !e.refused; }); });
    }

    function refused(group) {
      return all(group).then(function (entries) { return entries.filter(function (e) { return e.refused; }); });
    }

    // Send the group's entries one after the other; stop at the first network failure (or a
    // server error, 5xx) and keep the rest; a login page or 401/403 stops too (kept for later).
    function flush(group, send, onResult) {
      if (flushing) return flushing.then(function () { return flush(group, send, onResult); });
      var state = { left: 0, offline: false, stopped: false, error: "" };
      flushing = pending(group).then(function (entries) {
        state.left = entries.length;
        var chain = Promise.resolve();
        entries.forEach(function (entry) {
          chain = chain.then(function () {
            if (state.offline || state.stopped) return;
            return send(entry).then(function (response) {
              var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
              if (response.redirected || !isJson || response.status === 401 || response.status === 403) {
                state.stopped = true; return;
              }
              return response.json().catch(function () { return {}; }).then(function (json) {
                if (response.status >= 500) { state.offline = true; return; }
                state.left -= 1;
                if (onResult) onResult(entry, response.ok, json);
                if (response.ok) return remove(entry.key);
                // Refused for good: kept aside (never silently lost) for the page to correct or discard.
                state.error = json.error || response.statusText;
                entry.refused = state.error;
                return put(entry);
              });
            }, function () { state.offline = true; });
          });
        });
        return chain;
      }).then(function () { return state; }, function () { state.offline = true; return state; });
      var done = flushing;
      return done.finally(function () { if (flushing === done) flushing = null; });
    }

    return { put: put, remove: remove, pending: pending, refused: refused, flush: flush };
  }

  window.Outbox = { open: open };
})();
