// The board's trends, drawn from the table beside each chart. The table is
// the record and the accessible alternative: without JavaScript, or without
// Chart.js, the page shows the tables alone. A figure not shown ([c]) is a
// gap in the line, never a zero.

const COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#d53880", "#b58840", "#505a5f"];

function readTable(table) {
  const labels = [];
  const series = new Map();
  for (const row of table.tBodies[0].rows) {
    labels.push(row.cells[0].textContent.trim());
    for (const cell of row.querySelectorAll("[data-series]")) {
      if (!series.has(cell.dataset.series)) series.set(cell.dataset.series, []);
      series.get(cell.dataset.series).push(cell.dataset.value === "" ? null : Number(cell.dataset.value));
    }
  }
  return { labels, series };
}

function drawTrend(holder) {
  const table = document.getElementById(holder.dataset.table);
  if (!table || typeof window.Chart !== "function") return;
  const { labels, series } = readTable(table);
  // Nothing shown, nothing to draw: a chart of [c] alone would be a blank grid.
  if (![...series.values()].some((data) => data.some((value) => value !== null))) return;
  const datasets = [...series].map(([label, data], k) => ({
    label,
    data,
    borderColor: COLOURS[k % COLOURS.length],
    backgroundColor: COLOURS[k % COLOURS.length],
    pointRadius: 3,
    spanGaps: false,
    tension: 0,
  }));
  if (holder.dataset.target !== undefined) {
    datasets.push({
      label: "Target",
      data: labels.map(() => Number(holder.dataset.target)),
      borderColor: "#0b0c0c",
      borderDash: [6, 4],
      pointRadius: 0,
      borderWidth: 2,
    });
  }
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `Chart of ${table.caption ? table.caption.textContent.trim().toLowerCase() : "the figures"}. The table gives the same figures.`);
  holder.appendChild(canvas);
  new window.Chart(canvas, {
    type: "line",
    data: { labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: true,
      aspectRatio: 1.6,
      plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
      scales: { x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } } },
    },
  });
}

document.querySelectorAll("[data-board-chart]").forEach(drawTrend);
