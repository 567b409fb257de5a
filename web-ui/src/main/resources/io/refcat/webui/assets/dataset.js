// The dataset page: the STAC item, the Zarr metadata, quick-looks and point series, all from the
// server's JSON and image APIs.
"use strict";
const $ = (id) => document.getElementById(id);
const [collection, itemId] = location.pathname.replace(/^\/datasets\//, "").split("/").map(decodeURIComponent);

async function main() {
  let item;
  try {
    item = await refcat.json(`/stac/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(itemId)}`);
  } catch (e) {
    refcat.message($("status"), "This dataset could not be loaded: " + e.message, true);
    return;
  }
  const p = item.properties;
  const dataset = p["refcat:dataset"];
  document.title = `refcat — ${p.title || item.id}`;
  $("title").textContent = p.title || item.id;
  $("description").textContent = p.description || "";
  const time = p.start_datetime ? `${p.start_datetime} – ${p.end_datetime}` : p.datetime || "no time coordinate";
  $("summary").textContent = `${item.collection} · ${time} · ${p["refcat:format"] || ""} · ${p["refcat:chunks"]} chunks`
    + (p["refcat:node"] ? ` · from ${p["refcat:node"]}` : "");
  const dataVars = Object.entries(p["cube:variables"] || {}).filter(([, v]) => v.type === "data").map(([k]) => k);
  links(item, dataVars[0] || Object.keys(p["cube:variables"] || {})[0] || "");
  let zmeta = { metadata: {} };
  try {
    zmeta = await refcat.json(item.assets.zarr.href.replace(/^https?:\/\/[^/]+/, "") + "/.zmetadata");
  } catch (e) {
    refcat.message($("status"), "The Zarr metadata could not be loaded: " + e.message, true);
  }
  variables(item, zmeta.metadata, dataset);
  sources(item, p);
  attributes(zmeta.metadata[".zattrs"] || {});
  $("dataset").hidden = false;
  if (!$("status").classList.contains("error")) refcat.message($("status"), "");
  try {
    const map = await refcat.map("footprint");
    if (item.geometry) {
      const f = L.geoJSON(item.geometry, { style: { color: "#e08a00", weight: 2, fillOpacity: 0.2 } }).addTo(map);
      map.fitBounds(f.getBounds(), { maxZoom: 5 });
    }
  } catch (e) {
    $("footprint").textContent = "The map could not load: " + e.message;
  }
}

function links(item, variable) {
  const rows = [["Zarr v2", item.assets.zarr], ["Zarr v3", item.assets.zarr3], ["kerchunk references", item.assets.references],
    ["STAC Item", { href: (item.links.find((l) => l.rel === "self") || {}).href }]];
  const table = $("links");
  for (const [label, asset] of rows) {
    if (!asset || !asset.href) continue;
    const tr = table.insertRow();
    tr.insertCell().textContent = label;
    const td = tr.insertCell();
    td.innerHTML = `<a href="${refcat.esc(asset.href)}">${refcat.esc(asset.href)}</a> `;
    td.appendChild(refcat.copyButton(asset.href));
  }
  const zarr = item.assets.zarr.href, zarr3 = item.assets.zarr3 && item.assets.zarr3.href, refs = item.assets.references && item.assets.references.href;
  const snippets = {
    "Python (xarray)": `import xarray as xr\n\nds = xr.open_dataset("${zarr}", engine="zarr", consolidated=True)\nprint(ds${variable && !variable.includes("/") ? `["${variable}"]` : ""})`,
    "Python (references)": `import fsspec\nimport xarray as xr\n\nfs = fsspec.filesystem("reference", fo="${refs}")\nds = xr.open_dataset(fs.get_mapper(""), engine="zarr", consolidated=False)\nprint(ds)`,
    "JavaScript (zarrita)": `import * as zarr from "zarrita";\n\nconst root = zarr.root(new zarr.FetchStore("${zarr3 || zarr}"));\nconst group = await zarr.open${zarr3 ? ".v3" : ""}(root, { kind: "group" });\nconsole.log(group.attrs);`,
    "Java (zarr-java)": `import dev.zarr.zarrjava.store.HttpStore;\nimport dev.zarr.zarrjava.v3.Array;\n\nHttpStore store = new HttpStore("${zarr3 || zarr}");\nArray array = Array.open(store.resolve(${JSON.stringify(variable).replace(/\//g, '", "')}));\nucar.ma2.Array values = array.read();`,
  };
  const tabs = $("snippet-tabs");
  const show = (name) => {
    $("snippet").textContent = snippets[name];
    tabs.querySelectorAll("button").forEach((b) => b.classList.toggle("on", b.textContent === name));
  };
  for (const name of Object.keys(snippets)) {
    const b = document.createElement("button");
    b.type = "button"; b.textContent = name; b.onclick = () => show(name);
    tabs.appendChild(b);
  }
  const copy = refcat.copyButton("");
  copy.onclick = () => navigator.clipboard.writeText($("snippet").textContent).catch(() => {});
  tabs.appendChild(copy);
  show("Python (xarray)");
}

function variables(item, meta, dataset) {
  const cube = item.properties["cube:variables"] || {};
  const body = $("variables").tBodies[0];
  const names = Object.keys(meta).filter((k) => k.endsWith("/.zarray") || k === ".zarray").map((k) => k.replace(/\/?\.zarray$/, "")).sort();
  for (const name of names) {
    const z = meta[(name ? name + "/" : "") + ".zarray"];
    const attrs = meta[(name ? name + "/" : "") + ".zattrs"] || {};
    const dims = attrs._ARRAY_DIMENSIONS || (cube[name] && cube[name].dimensions) || [];
    const tr = body.insertRow();
    const dtype = Array.isArray(z.dtype) ? "structured" : z.dtype;
    for (const v of [name, dims.join(", "), z.shape.join(" × ") || "scalar", dtype, z.chunks.join(" × "), attrs.units || "", attrs.standard_name || ""]) {
      tr.insertCell().textContent = v;
    }
    const cell = tr.insertCell();
    if (z.shape.length >= 2 && /^[<>|][iufb]/.test(dtype)) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = "Quick-look"; b.dataset.variable = name;
      b.onclick = () => look(dataset, name, dims, z.shape, meta);
      cell.appendChild(b);
    }
  }
  const first = body.querySelector("button[data-variable]");
  if (first) first.click();
}

// The quick-look of one variable, with a slider per other dimension; a click on the image asks
// /series for the values at that grid point.
function look(dataset, name, dims, shape, meta) {
  $("look").hidden = false;
  $("look-title").textContent = `Quick-look: ${name}`;
  const controls = $("look-controls");
  controls.innerHTML = "";
  const index = {};
  const update = () => {
    const q = new URLSearchParams(index);
    const img = $("quicklook");
    img.dataset.loaded = "";
    img.src = `/quicklook/${dataset}/${name}.png${q.toString() ? "?" + q : ""}`;
  };
  dims.slice(0, -2).forEach((dim, i) => {
    index[dim] = 0;
    const label = document.createElement("label");
    label.textContent = `${dim} `;
    const input = document.createElement("input");
    input.type = "range"; input.min = 0; input.max = shape[i] - 1; input.value = 0; input.setAttribute("aria-label", dim);
    const out = document.createElement("span");
    out.textContent = ` 0 / ${shape[i] - 1}`;
    input.oninput = () => { index[dim] = input.value; out.textContent = ` ${input.value} / ${shape[i] - 1}`; update(); };
    label.append(input, out);
    controls.appendChild(label);
  });
  const img = $("quicklook");
  img.onload = () => (img.dataset.loaded = "true");
  img.onerror = () => { img.dataset.loaded = "error"; $("series").innerHTML = `<div class="message error">The quick-look could not be drawn.</div>`; };
  img.onclick = (e) => series(e, dataset, name);
  // the keyboard's way to a series: type a point
  $("point").onsubmit = (e) => {
    e.preventDefault();
    showSeries(`/series/${dataset}/${name}?${new URLSearchParams({ lat: $("point-lat").value, lon: $("point-lon").value })}`);
  };
  update();
}

async function series(e, dataset, name) {
  const img = e.target;
  // the image's mapping from pixels to indices is in the quick-look's headers
  const h = await fetch(img.src, { method: "GET" });
  const scale = Number(h.headers.get("X-Quicklook-Scale"));
  const [sy, sx] = h.headers.get("X-Quicklook-Step").split(" ").map(Number);
  const flipped = h.headers.get("X-Quicklook-Flipped") === "true";
  const [rowDim, colDim] = h.headers.get("X-Quicklook-Dims").split(" ");
  const rows = Math.ceil((img.naturalHeight - 46) / scale);
  const x = Math.floor((e.offsetX * img.naturalWidth / img.clientWidth) / scale);
  let y = Math.floor((e.offsetY * img.naturalHeight / img.clientHeight) / scale);
  if (y >= rows) return; // the colour bar
  if (flipped) y = rows - 1 - y;
  const q = new URLSearchParams({ [`index.${rowDim}`]: y * sy, [`index.${colDim}`]: x * sx });
  showSeries(`/series/${dataset}/${name}?${q}`);
}

async function showSeries(url) {
  const box = $("series");
  box.innerHTML = `<p class="meta">Loading the series…</p>`;
  try {
    const s = await refcat.json(url);
    box.innerHTML = "";
    box.appendChild(chart(s));
    const link = document.createElement("a");
    link.id = "series-json";
    link.href = url;
    link.textContent = "these values as JSON";
    box.appendChild(link);
  } catch (err) {
    box.innerHTML = `<div class="message error">${refcat.esc(err.message)}</div>`;
  }
}

// A small SVG line chart of a series along its first remaining dimension.
function chart(s) {
  const div = document.createElement("div");
  const where = s.lat != null ? `at ${s.lat.toFixed(2)}°, ${s.lon.toFixed(2)}°` : "";
  if (!s.dims.length) {
    div.innerHTML = `<p>${refcat.esc(s.variable)} ${where}: <strong>${s.values ?? "no value"}</strong> ${refcat.esc(s.units || "")}</p>`;
    return div;
  }
  let values = s.values;
  while (Array.isArray(values[0])) values = values.map((v) => v[0]);
  const xs = s.coords[s.dims[0]] || values.map((_, i) => i);
  const finite = values.filter((v) => v != null);
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const W = 420, H = 180, P = 36;
  const px = (i) => P + (values.length > 1 ? i * (W - 2 * P) / (values.length - 1) : (W - 2 * P) / 2);
  const py = (v) => H - P - (hi > lo ? (v - lo) * (H - 2 * P) / (hi - lo) : (H - 2 * P) / 2);
  const pts = values.map((v, i) => v == null ? null : `${px(i).toFixed(1)},${py(v).toFixed(1)}`).filter(Boolean);
  div.innerHTML = `<p class="meta">${refcat.esc(s.variable)} ${where} along ${refcat.esc(s.dims[0])}</p>
    <svg id="series-chart" width="${W}" height="${H}" role="img" aria-label="series chart" style="background:#fff;border:1px solid #d8dde5">
      <polyline fill="none" stroke="#2a6fb0" stroke-width="1.5" points="${pts.join(" ")}"/>
      ${pts.map((p) => `<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="2" fill="#2a6fb0"/>`).join("")}
      <text x="4" y="${P - 8}" font-size="11">${refcat.esc(hi.toPrecision(4))} ${refcat.esc(s.units || "")}</text>
      <text x="4" y="${H - P + 14}" font-size="11">${refcat.esc(lo.toPrecision(4))}</text>
      <text x="${P}" y="${H - 6}" font-size="11">${refcat.esc(String(xs[0]))}</text>
      <text x="${W - P}" y="${H - 6}" font-size="11" text-anchor="end">${refcat.esc(String(xs[xs.length - 1]))}</text>
    </svg>`;
  return div;
}

function sources(item, p) {
  const table = $("sources");
  const members = p["refcat:members"];
  if (Array.isArray(members) && members.length) {
    for (const m of members) {
      const tr = table.insertRow();
      const href = typeof m === "string" ? m : m.href || m.url || JSON.stringify(m);
      tr.insertCell().innerHTML = `<a href="${refcat.esc(href)}">${refcat.esc(href.split("/").pop())}</a>`;
      tr.insertCell().textContent = m.size != null ? `${m.size.toLocaleString()} bytes` : "";
    }
    return;
  }
  const src = item.assets.source;
  const tr = table.insertRow();
  if (src) tr.insertCell().innerHTML = `<a href="${refcat.esc(src.href)}">${refcat.esc(src.href.split("/").pop())}</a>`;
  else tr.insertCell().textContent = "not shown by this server";
  tr.insertCell().textContent = p["refcat:size"] != null ? `${p["refcat:size"].toLocaleString()} bytes` : "";
}

function attributes(attrs) {
  const table = $("attributes");
  const entries = Object.entries(attrs);
  if (!entries.length) table.insertRow().insertCell().textContent = "none";
  for (const [k, v] of entries) {
    const tr = table.insertRow();
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = typeof v === "string" ? v : JSON.stringify(v);
  }
}

main();
