// The search page: every control is a query parameter of the page's own URL (bookmark and share a
// search), and every number shown comes from /stac/search and /stac/aggregate with the same filters.
"use strict";
const FACETS = [
  ["collection", "collection_frequency", "Collection"],
  ["variable", "variable_frequency", "Variable"],
  ["standard_name", "standard_name_frequency", "CF standard name"],
  ["refcat:format", "format_frequency", "Format"],
  ["refcat:institution", "institution_frequency", "Institution"],
];
const PAGE = 10;
const $ = (id) => document.getElementById(id);
let map, footprints, boxLayer;

function state() {
  const p = new URLSearchParams(location.search);
  const s = { q: p.get("q") || "", bbox: p.get("bbox") || "", from: p.get("from") || "", to: p.get("to") || "", token: p.get("token") || "", sites: p.get("sites") || "", facets: {} };
  for (const [prop] of FACETS) if (p.get(prop)) s.facets[prop] = p.get(prop);
  return s;
}

function setState(s, push = true) {
  const p = new URLSearchParams();
  for (const k of ["q", "bbox", "from", "to", "token", "sites"]) if (s[k]) p.set(k, s[k]);
  for (const [k, v] of Object.entries(s.facets)) p.set(k, v);
  const url = location.pathname + (p.toString() ? "?" + p : "");
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  run();
}

// The STAC query for a page state: the same for results, facets and the code box.
function stacParams(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  if (s.bbox) p.set("bbox", s.bbox);
  if (s.from || s.to) p.set("datetime", `${s.from ? s.from + "T00:00:00Z" : ".."}/${s.to ? s.to + "T23:59:59Z" : ".."}`);
  const clauses = Object.entries(s.facets).map(([k, v]) => `${k.includes(":") ? `"${k}"` : k} = '${v.replace(/'/g, "''")}'`);
  if (clauses.length) {
    p.set("filter", clauses.join(" AND "));
    p.set("filter-lang", "cql2-text");
  }
  return p;
}

async function run() {
  const s = state();
  $("q").value = s.q; $("bbox").value = s.bbox; $("from").value = s.from; $("to").value = s.to; $("sites").checked = s.sites === "all";
  drawBox(s.bbox);
  code(s);
  const started = performance.now();
  await Promise.all([results(s), facets(s)]);
  document.body.dataset.searchMs = String(Math.round(performance.now() - started));
  // since navigation started: when the page first shows its results (reported by the browser test)
  if (!document.body.dataset.readyMs) document.body.dataset.readyMs = String(Math.round(performance.now()));
}

async function results(s) {
  const status = $("status");
  refcat.message(status, "Searching…");
  $("results").innerHTML = "";
  footprints.clearLayers();
  const p = stacParams(s);
  p.set("limit", PAGE);
  if (s.token) p.set("token", s.token);
  // all sites: the same search through the federation (every peer of this node)
  if (s.sites === "all") p.set("federation", "all");
  try {
    const r = await refcat.json("/stac/search?" + p);
    $("count").textContent = r.numberMatched != null ? `${r.numberMatched} dataset${r.numberMatched === 1 ? "" : "s"}`
      : `Datasets from ${r.federation.answered.length} site${r.federation.answered.length === 1 ? "" : "s"}`;
    document.body.dataset.matched = String(r.numberMatched ?? r.numberReturned);
    const missing = r.federation ? [...r.federation.failed.map((f) => `${f.url} (${f.reason})`), ...r.federation.timed_out.map((u) => `${u} (no answer in time)`)] : [];
    refcat.message(status, (r.features.length ? "" : "No dataset matches this search. Remove a filter or widen the box. ")
      + (missing.length ? "Sites that did not answer: " + missing.join("; ") : ""), missing.length > 0);
    for (const item of r.features) addResult(item);
    const next = (r.links || []).find((l) => l.rel === "next");
    $("next").disabled = !next;
    $("next").onclick = () => setState({ ...s, token: new URL(next.href).searchParams.get("token") });
    $("first").disabled = !s.token;
  } catch (e) {
    $("count").textContent = "Results";
    refcat.message(status, "The search failed: " + e.message, true);
  }
}

function addResult(item) {
  const p = item.properties;
  const vars = Object.entries(p["cube:variables"] || {}).filter(([, v]) => v.type === "data").map(([k]) => k);
  const time = p.start_datetime ? `${p.start_datetime.slice(0, 10)} – ${p.end_datetime.slice(0, 10)}` : (p.datetime || "no time").slice(0, 10);
  const li = document.createElement("li");
  const origin = p["refcat:node_url"] || "";
  li.innerHTML = `<a href="${refcat.esc(origin)}/datasets/${encodeURIComponent(item.collection)}/${encodeURIComponent(item.id)}">${refcat.esc(p.title || item.id)}</a>
    <div class="meta">${refcat.esc(item.collection)} · ${refcat.esc(time)} · ${refcat.esc(p["refcat:format"] || "")}${p["refcat:node"] ? " · from " + refcat.esc(p["refcat:node"]) : ""}</div>
    <div class="meta">Variables: ${refcat.esc(vars.join(", ") || "—")}</div>`;
  $("results").appendChild(li);
  if (item.geometry) {
    const layer = L.geoJSON(item.geometry, { style: { color: "#2a6fb0", weight: 1, fillOpacity: 0.08 } }).addTo(footprints);
    const on = () => { li.classList.add("hover"); layer.setStyle({ color: "#e08a00", weight: 3, fillOpacity: 0.3 }); layer.bringToFront(); };
    const off = () => { li.classList.remove("hover"); layer.setStyle({ color: "#2a6fb0", weight: 1, fillOpacity: 0.08 }); };
    li.addEventListener("mouseenter", on); li.addEventListener("mouseleave", off);
    li.addEventListener("focusin", on); li.addEventListener("focusout", off);
    layer.on("mouseover", on); layer.on("mouseout", off);
  }
}

async function facets(s) {
  const box = $("facets");
  const p = stacParams(s);
  p.set("aggregations", FACETS.map((f) => f[1]).join(","));
  if (s.sites === "all") p.set("federation", "all"); // counts over every site
  try {
    const r = await refcat.json("/stac/aggregate?" + p);
    const byName = Object.fromEntries(r.aggregations.map((a) => [a.name, a]));
    box.innerHTML = "<h2>Narrow</h2>";
    for (const [prop, agg, label] of FACETS) {
      const buckets = (byName[agg] && byName[agg].buckets) || [];
      if (!buckets.length && !s.facets[prop]) continue;
      const div = document.createElement("div");
      div.innerHTML = `<h3>${label}</h3>`;
      const ul = document.createElement("ul");
      for (const b of buckets.slice(0, 12)) {
        const li = document.createElement("li");
        const on = s.facets[prop] === b.key;
        li.innerHTML = `<button type="button" class="${on ? "on" : ""}" data-facet="${refcat.esc(prop)}" data-key="${refcat.esc(b.key)}" aria-pressed="${on}"><span>${refcat.esc(b.key)}</span><span>${b.frequency}</span></button>`;
        li.firstChild.addEventListener("click", () => {
          const f = { ...s.facets };
          if (on) delete f[prop]; else f[prop] = b.key;
          setState({ ...s, facets: f, token: "" });
        });
        ul.appendChild(li);
      }
      div.appendChild(ul);
      box.appendChild(div);
    }
  } catch (e) {
    box.innerHTML = "<h2>Narrow</h2>";
    const m = document.createElement("div");
    refcat.message(m, "Facets are unavailable: " + e.message, true);
    box.appendChild(m);
  }
}

function code(s) {
  const p = stacParams(s);
  const base = location.origin;
  const py = [`from pystac_client import Client`, ``, `catalog = Client.open("${base}/stac")`, `search = catalog.search(`];
  if (s.q) py.push(`    q=${JSON.stringify(s.q)},`);
  if (s.bbox) py.push(`    bbox=[${s.bbox}],`);
  if (p.get("datetime")) py.push(`    datetime="${p.get("datetime")}",`);
  if (p.get("filter")) py.push(`    filter=${JSON.stringify(p.get("filter"))},`, `    filter_lang="cql2-text",`);
  py.push(`    max_items=100,`, `)`, `for item in search.items():`, `    print(item.id, item.assets["zarr"].href)`);
  const curl = `curl -s '${base}/stac/search?${p.toString().replace(/'/g, "%27")}'`;
  const show = (tab) => {
    $("code").textContent = tab === "curl" ? curl : py.join("\n");
    document.querySelectorAll(".code-tabs button").forEach((b) => b.classList.toggle("on", b.dataset.tab === tab));
  };
  document.querySelectorAll(".code-tabs button").forEach((b) => (b.onclick = () => show(b.dataset.tab)));
  show(document.querySelector(".code-tabs button.on").dataset.tab);
}

function drawBox(bbox) {
  if (boxLayer) { boxLayer.remove(); boxLayer = null; }
  const v = bbox.split(",").map(Number);
  if (v.length === 4 && v.every(Number.isFinite)) {
    boxLayer = L.rectangle([[v[1], v[0]], [v[3], v[2]]], { color: "#e08a00", weight: 2, fill: false, dashArray: "4" }).addTo(map);
  }
}

// Drawing a box: press the button, then drag on the map.
function enableDrawing() {
  let start = null, rect = null;
  $("draw").addEventListener("click", () => {
    map.dragging.disable();
    map.getContainer().style.cursor = "crosshair";
    $("draw").textContent = "Drag on the map…";
  });
  map.on("mousedown", (e) => {
    if (map.dragging.enabled()) return;
    start = e.latlng;
    rect = L.rectangle([start, start], { color: "#e08a00", weight: 2, fill: false }).addTo(map);
  });
  map.on("mousemove", (e) => { if (start && rect) rect.setBounds([start, e.latlng]); });
  map.on("mouseup", (e) => {
    if (!start) return;
    const b = L.latLngBounds(start, e.latlng);
    rect.remove(); start = null; rect = null;
    map.dragging.enable();
    map.getContainer().style.cursor = "";
    $("draw").textContent = "Draw box on map";
    const r = (x) => Math.round(x * 100) / 100;
    const w = Math.max(-180, r(b.getWest())), e2 = Math.min(180, r(b.getEast()));
    setState({ ...state(), bbox: `${w},${Math.max(-90, r(b.getSouth()))},${e2},${Math.min(90, r(b.getNorth()))}`, token: "" });
  });
}

(async () => {
  try {
    map = await refcat.map("map");
  } catch (e) {
    refcat.message($("status"), "The map could not load: " + e.message, true);
    map = L.map("map").setView([20, 0], 1);
  }
  footprints = L.featureGroup().addTo(map);
  enableDrawing();
  $("search").addEventListener("submit", (e) => {
    e.preventDefault();
    setState({ ...state(), q: $("q").value.trim(), bbox: $("bbox").value.replace(/\s/g, ""), from: $("from").value, to: $("to").value, sites: $("sites").checked ? "all" : "", token: "" });
  });
  $("clear").addEventListener("click", () => setState({ q: "", bbox: "", from: "", to: "", token: "", sites: "", facets: {} }));
  $("sites").addEventListener("change", () => setState({ ...state(), sites: $("sites").checked ? "all" : "", token: "" }));
  $("first").addEventListener("click", () => setState({ ...state(), token: "" }));
  window.addEventListener("popstate", run);
  run();
})();
