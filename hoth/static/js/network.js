// Draws a network with Cytoscape.js from the two tables beside it (subjects
// and links). The tables are the record and the accessible alternative:
// without JavaScript, or without Cytoscape, the page shows the tables alone.

const COLOURS = { child: "#1d70b8", adult: "#4c2c92", place: "#00703c" };
const SHAPES = { child: "ellipse", adult: "diamond", place: "rectangle" };
const OTHER_COLOUR = "#505a5f";
const CONCERN = "#d4351c";
const READABLE_ZOOM = 1.5;

function rows(id) {
  const table = document.getElementById(id);
  return table ? [...table.tBodies[0].rows] : [];
}

function elements(holder) {
  const nodes = rows(holder.dataset.nodes).map((row) => ({
    data: {
      id: row.dataset.id,
      label: row.dataset.label,
      kind: row.dataset.kind,
      concern: row.dataset.concern === "1",
      centre: row.dataset.centre === "1",
      hops: Number(row.dataset.hops || 0),
      url: row.dataset.url,
    },
  }));
  const links = rows(holder.dataset.links).map((row, index) => ({
    data: { id: `link-${index}`, source: row.dataset.source, target: row.dataset.target, label: row.dataset.types },
  }));
  return { nodes, links };
}

function draw(holder) {
  if (typeof window.cytoscape !== "function") return;
  const { nodes, links } = elements(holder);
  if (!nodes.length) return;
  holder.hidden = false;
  const legend = holder.parentElement.querySelector("[data-network-legend]");
  if (legend) legend.hidden = false;
  const centred = nodes.some((n) => n.data.centre) && nodes.some((n) => n.data.hops > 0);
  const cy = window.cytoscape({
    container: holder,
    elements: [...nodes, ...links],
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 4,
          color: "#0b0c0c",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8,
          width: 22,
          height: 22,
          "background-color": (node) => COLOURS[node.data("kind")] || OTHER_COLOUR,
          shape: (node) => SHAPES[node.data("kind")] || "hexagon",
          "border-width": (node) => (node.data("concern") ? 4 : 1),
          "border-color": (node) => (node.data("concern") ? CONCERN : "#0b0c0c"),
        },
      },
      { selector: "node[?centre]", style: { width: 34, height: 34, "font-weight": "bold" } },
      {
        selector: "edge",
        style: { width: 2, "line-color": "#b1b4b6", "curve-style": "bezier", label: "data(label)", "font-size": 9,
                 color: "#505a5f", "text-rotation": "autorotate", "text-background-color": "#ffffff",
                 "text-background-opacity": 0.8 },
      },
    ],
    layout: centred
      ? { name: "concentric", concentric: (node) => 3 - node.data("hops"), levelWidth: () => 1, minNodeSpacing: 80 }
      : { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 8000 },
  });
  // A network of a few subjects would otherwise be blown up to fill the box.
  if (cy.zoom() > READABLE_ZOOM) {
    cy.zoom(READABLE_ZOOM);
    cy.center();
  }
  // A subject opens its profile, as its name in the table does.
  cy.on("tap", "node", (event) => {
    const url = event.target.data("url");
    if (url) window.location.assign(url);
  });
}

document.querySelectorAll("[data-network-drawing]").forEach(draw);
