// A child's screening levels over time, drawn from the table beside the chart.
// The table is the record and the accessible alternative: without JavaScript,
// or without Chart.js, the page shows the table alone.

function readTable(table) {
  return [...table.tBodies[0].rows]
    .filter((row) => row.dataset.rank !== "" && row.dataset.rank !== "None")
    .map((row) => ({ label: row.dataset.date, rank: Number(row.dataset.rank) }));
}

function drawTrajectory(holder) {
  const table = document.getElementById(holder.dataset.table);
  if (!table || typeof window.Chart !== "function") return;
  const levels = holder.dataset.levels.split("|");
  const points = readTable(table);
  if (!points.length) return;

  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    "Chart of screening levels over time. The table gives the same information.",
  );
  holder.appendChild(canvas);

  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: points.map((p) => p.label),
      datasets: [{
        label: "Level",
        data: points.map((p) => p.rank),
        borderColor: "#1d70b8",
        backgroundColor: "#1d70b8",
        pointRadius: 5,
        pointStyle: "rectRot",
        tension: 0,
        // A point on High or No concern sits on the chart's edge: draw it whole.
        clip: false,
      }],
    },
    options: {
      animation: false,
      maintainAspectRatio: true,
      aspectRatio: 1,
      layout: { padding: { top: 8, right: 8 } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => levels[item.parsed.y] } },
      },
      scales: {
        y: {
          min: 0,
          max: levels.length - 1,
          ticks: { stepSize: 1, callback: (value) => levels[value] ?? "" },
          title: { display: true, text: "Level" },
        },
        x: { title: { display: true, text: "Date completed" } },
      },
    },
  });
}

document.querySelectorAll("[data-trajectory-chart]").forEach(drawTrajectory);
