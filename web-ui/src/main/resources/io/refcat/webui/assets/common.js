// Shared by the pages: JSON fetching with errors in words, HTML escaping, the base map.
"use strict";
const refcat = {
  async json(url, options) {
    const r = await fetch(url, options);
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      const why = body && (body.description || body.detail || body.title);
      throw new Error(`${r.status} ${why || r.statusText} (${url})`);
    }
    return body;
  },
  esc(s) {
    return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  },
  // A Leaflet map on the bundled Natural Earth land outline: no tiles, nothing fetched from outside.
  async map(id) {
    const map = L.map(id, { worldCopyJump: true, minZoom: 1 }).setView([20, 0], 1);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Land: Natural Earth");
    const land = await refcat.json("/assets/land-110m.geojson");
    L.geoJSON(land, { style: { color: "#7d8a74", weight: 0.8, fillColor: "#eef0e6", fillOpacity: 1 }, interactive: false }).addTo(map);
    return map;
  },
  message(el, text, error) {
    el.className = "message" + (error ? " error" : "");
    el.textContent = text;
    el.hidden = !text;
  },
  copyButton(text) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = "Copy";
    b.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(text);
        b.textContent = "Copied";
      } catch (e) {
        b.textContent = "Select and copy";
      }
      setTimeout(() => (b.textContent = "Copy"), 1500);
    });
    return b;
  },
};
