/* Landmarks for every Leaflet map on the page: named outlines, named unit points and a search box.
 *
 * Without a tile server a map is an empty box; with these layers a person still finds their
 * street. The script hooks into map creation (L.Map.addInitHook), so the page scripts that
 * build the maps (report.js, cases.js, app.js) need no change. Configuration comes from this
 * script tag's data attributes (see templates/organization/_map_layers.html):
 *   data-source   the organization:map_layers endpoint (GET; ?q= searches on the server), or
 *   data-local    the id of a json_script with {"boundaries": [{label, geometry}]} (public pages),
 *   data-pick     "1" on forms: choosing a unit places the form's point there (a map click),
 *   data-placeholder, data-empty, data-label   translated texts.
 */
(function () {
  "use strict";
  if (!window.L) return;
  var script = document.currentScript;
  var config = script ? script.dataset : {};

  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function ringBounds(geometry) {
    var layer = L.geoJSON(geometry);
    var b = layer.getBounds();
    return b.isValid() ? [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]] : null;
  }

  // Public pages pass what they already have: community outlines with their names.
  function localData(id) {
    var el = document.getElementById(id);
    var data = el ? JSON.parse(el.textContent) : {};
    var areas = (data.boundaries || []).map(function (b, i) {
      var bounds = ringBounds(b.geometry);
      if (!bounds) return null;
      return { id: i, name: b.label, depth: 0, geometry: b.geometry, bounds: bounds,
               label_at: [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2] };
    }).filter(Boolean);
    return { areas: areas, units: [] };
  }

  var dataPromise = null;
  function loadData() {
    if (!dataPromise) {
      dataPromise = config.source
        ? fetch(config.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (r) { return r.ok ? r.json() : { areas: [], units: [] }; })
        : Promise.resolve(localData(config.local));
    }
    return dataPromise;
  }

  function label(text, className) {
    return L.divIcon({ className: "map-label " + className, iconSize: null,
                       html: "<span>" + escapeHTML(text) + "</span>" });
  }

  // Hide labels that would overlap a more important one (outer areas first, then units), and
  // an area's name when the area is drawn narrower than its name.
  function declutter(map, labels) {
    var box = map.getContainer().getBoundingClientRect();
    var shown = [];
    var rects = labels.map(function (l) {
      var el = l.marker.getElement();
      if (!el) return null;
      var hidden = l.minZoom && map.getZoom() < l.minZoom;
      el.style.display = hidden ? "none" : "";
      el.style.visibility = "";
      return hidden ? null : el.firstChild.getBoundingClientRect();
    });
    labels.forEach(function (l, i) {
      var r = rects[i];
      if (!r) return;
      var outside = r.right < box.left || r.left > box.right || r.bottom < box.top || r.top > box.bottom;
      var narrow = false;
      if (l.bounds) {
        var sw = map.latLngToContainerPoint(l.bounds.getSouthWest()), ne = map.latLngToContainerPoint(l.bounds.getNorthEast());
        narrow = r.width > Math.abs(ne.x - sw.x) || r.height > Math.abs(sw.y - ne.y);
      }
      var hit = outside || narrow || shown.some(function (s) {
        return r.left < s.right + 2 && r.right > s.left - 2 && r.top < s.bottom + 1 && r.bottom > s.top - 1;
      });
      if (hit && !l.always) l.marker.getElement().style.visibility = "hidden";
      else shown.push(r);
    });
  }

  function addLayers(map, data, state) {
    var depths = data.areas.map(function (a) { return a.depth; });
    var top = depths.length ? Math.min.apply(null, depths) : 0;
    var group = L.featureGroup().addTo(map);
    data.areas.forEach(function (a) {
      var rank = a.depth - top;
      L.geoJSON(a.geometry, { pane: "landmarkAreas", interactive: false,
        style: { color: "#475569", weight: rank === 0 ? 2.5 : rank === 1 ? 1.5 : 1,
                 dashArray: rank >= 2 ? "3 3" : null, fill: rank === 0, fillColor: "#e2e8f0", fillOpacity: 0.25 }
      }).addTo(group);
      var marker = L.marker(a.label_at, { pane: "landmarkLabels", interactive: false, keyboard: false,
                                          icon: label(a.name, "map-label-area map-label-rank" + Math.min(rank, 2)) });
      marker.addTo(group);
      state.labels.push({ marker: marker, rank: rank, bounds: L.latLngBounds(a.bounds) });
      state.places.push({ kind: "area", id: a.id, name: a.name, detail: a.level || "", bounds: a.bounds });
    });
    data.units.forEach(function (u) {
      var dot = L.circleMarker([u.lat, u.lng], { pane: "landmarkAreas", radius: 4, weight: 1.5, color: "#fff",
                                                 fillColor: "#475569", fillOpacity: 1, bubblingMouseEvents: !state.pick });
      dot.bindTooltip(escapeHTML(u.name) + (u.type ? " · " + escapeHTML(u.type) : ""));
      // On a form a tap picks the unit's place; elsewhere it opens the unit, as the pages' own points do.
      dot.on("click", function () {
        if (state.pick) choose(map, state, unitPlace(u)); else window.location.href = u.url;
      });
      dot.addTo(group);
      var marker = L.marker([u.lat, u.lng], { pane: "landmarkLabels", interactive: false, keyboard: false,
                                              icon: label(u.name, "map-label-unit") }).addTo(group);
      state.labels.push({ marker: marker, rank: 9, minZoom: 16 });
      state.places.push(unitPlace(u));
    });
    state.labels.sort(function (a, b) { return a.rank - b.rank; });
    map.on("zoomend moveend", function () { redraw(map, state); });
    redraw(map, state);
    return group;
  }

  function unitPlace(u) {
    return { kind: "unit", id: u.id, name: u.name, detail: [u.type, u.address].filter(Boolean).join(" · "),
             lat: u.lat, lng: u.lng, address: u.address };
  }

  // Centre on a place; on a form, a unit also becomes the reported point (through a map click,
  // which the page's own picker already handles).
  function choose(map, state, place) {
    if (state.highlight) map.removeLayer(state.highlight.marker);
    state.highlight = null;
    state.container.dataset.selected = place.name;
    state.container.dataset.moving = "1";
    map.once("moveend", function () { delete state.container.dataset.moving; });
    if (place.kind === "unit") {
      var at = L.latLng(place.lat, place.lng);
      var marker = L.marker(at, { pane: "landmarkLabels", interactive: false, keyboard: false,
                                  icon: label(place.name, "map-label-unit map-label-selected") }).addTo(map);
      state.highlight = { marker: marker, rank: -1, always: true };
      map.setView(at, Math.max(map.getZoom(), 17));
      if (state.pick) {
        map.fire("click", { latlng: at });
        var form = state.container.closest("form");
        var address = form && form.querySelector("[name=address]");
        if (address && !address.value && place.address) address.value = place.address;
      }
    } else {
      map.fitBounds(place.bounds, { padding: [12, 12], maxZoom: 18 });
    }
    redraw(map, state);
  }

  function redraw(map, state) {
    declutter(map, state.highlight ? [state.highlight].concat(state.labels) : state.labels);
  }

  function searchLocal(state, text) {
    text = text.toLowerCase();
    return state.places.filter(function (p) {
      return p.name.toLowerCase().indexOf(text) >= 0 || (p.address || "").toLowerCase().indexOf(text) >= 0;
    }).slice(0, 20);
  }

  function searchServer(text) {
    var url = config.source + (config.source.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(text);
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        return data.results.map(function (r) {
          return r.kind === "unit" ? unitPlace(r)
            : { kind: "area", id: r.id, name: r.name, detail: r.level || "", bounds: r.bounds };
        });
      });
  }

  function searchBox(map, state) {
    var box = document.createElement("div");
    box.className = "map-search";
    box.setAttribute("role", "search");
    var input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    input.placeholder = config.placeholder || "";
    input.setAttribute("aria-label", config.label || config.placeholder || "");
    input.setAttribute("data-map-search", "");
    var list = document.createElement("ul");
    list.className = "map-results";
    list.hidden = true;
    box.appendChild(input);
    box.appendChild(list);
    state.container.parentNode.insertBefore(box, state.container);

    var results = [], timer = null, asked = 0;
    function show(items) {
      results = items;
      list.innerHTML = "";
      if (!items.length) {
        list.innerHTML = '<li class="muted">' + escapeHTML(config.empty || "") + "</li>";
      }
      items.forEach(function (p, i) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.setAttribute("data-result", String(i));
        button.innerHTML = "<strong>" + escapeHTML(p.name) + "</strong>" +
          (p.detail ? ' <span class="muted">' + escapeHTML(p.detail) + "</span>" : "");
        button.addEventListener("click", function () { pick(p); });
        li.appendChild(button);
        list.appendChild(li);
      });
      list.hidden = false;
    }
    function pick(place) {
      list.hidden = true;
      input.value = place.name;
      choose(map, state, place);
    }
    function run() {
      var text = input.value.trim();
      if (!text) { list.hidden = true; results = []; return; }
      var ticket = ++asked;
      var found = config.source ? searchServer(text) : Promise.resolve(searchLocal(state, text));
      found.then(function (items) { if (ticket === asked) show(items); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {            // never submit the surrounding report form
        e.preventDefault();
        clearTimeout(timer);
        if (results.length && !list.hidden) pick(results[0]); else run();
      } else if (e.key === "Escape") {
        list.hidden = true;
      }
    });
    document.addEventListener("click", function (e) { if (!box.contains(e.target)) list.hidden = true; });
  }

  L.Map.addInitHook(function () {
    var map = this;
    var container = map.getContainer();
    if (container.dataset.landmarks) return;
    container.dataset.landmarks = "loading";
    map.createPane("landmarkAreas").style.zIndex = 350;   // above tiles, below the page's own layers
    var labelPane = map.createPane("landmarkLabels");
    labelPane.style.zIndex = 390;
    labelPane.style.pointerEvents = "none";
    var state = { container: container, labels: [], places: [], pick: config.pick === "1", highlight: null };
    searchBox(map, state);
    loadData().then(function (data) {
      map.whenReady(function () {
        addLayers(map, data, state);
        container.dataset.landmarks = "ready";
      });
    });
  });
})();
