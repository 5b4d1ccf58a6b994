// Draws hot and cold H3 cells, and the towns as labelled points, with
// Leaflet and no tile server (the service runs on a closed network). The
// table of cells is the record and the accessible alternative: without
// JavaScript, or without Leaflet, the page shows the tables alone.

const HOT = { 3: "#d4351c", 2: "#f47738", 1: "#ffdd00" };
const COLD = "#1d70b8";

function cellsOf(holder) {
  const table = document.getElementById(holder.dataset.cells);
  if (!table) return [];
  return [...table.tBodies[0].rows]
    .filter((row) => row.dataset.boundary)
    .map((row) => ({
      cell: row.dataset.cell,
      level: Number(row.dataset.level || 0),
      trend: row.dataset.trend || "",
      boundary: JSON.parse(row.dataset.boundary),
      url: row.dataset.url || "",
    }));
}

function townsOf(holder) {
  const data = holder.dataset.towns && document.getElementById(holder.dataset.towns);
  return data ? JSON.parse(data.textContent) : [];
}

function draw(holder) {
  const L = window.L;
  if (!L) return;
  const cells = cellsOf(holder);
  const towns = townsOf(holder);
  if (!cells.length && !towns.length) return;
  holder.hidden = false;
  const legend = holder.parentElement.querySelector("[data-map-legend]");
  if (legend) legend.hidden = false;
  const map = L.map(holder, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
  const bounds = L.latLngBounds([]);
  for (const c of cells) {
    const emerging = c.trend === "new" || c.trend === "intensifying";
    const colour = c.level < 0 ? COLD : HOT[c.level] || "#b1b4b6";
    const shape = L.polygon(c.boundary, {
      color: emerging ? "#0b0c0c" : colour,
      weight: emerging ? 3 : 1,
      fillColor: colour,
      fillOpacity: 0.6,
    }).addTo(map);
    if (c.url) shape.on("click", () => window.location.assign(c.url));
    bounds.extend(shape.getBounds());
  }
  for (const town of towns) {
    L.circleMarker([town.lat, town.lng], {
      radius: town.partnership ? 4 : 3, color: "#0b0c0c", weight: 1, fillColor: "#0b0c0c", fillOpacity: 1,
    })
      .bindTooltip(town.name, { permanent: true, direction: "right", className: "hoth-map__label" })
      .addTo(map);
    if (!cells.length || town.partnership) bounds.extend([town.lat, town.lng]);
  }
  map.fitBounds(bounds.pad(0.05));
}

document.querySelectorAll("[data-map]").forEach(draw);
