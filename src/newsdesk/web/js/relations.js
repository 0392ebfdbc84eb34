// Relations between actors: the stance in words, a graph whose every edge is visible (edges between the
// same two actors bend apart, one per action and direction, labelled in words with their count), and
// each event once with its detail (who, what, to whom, when, on whose account, the quoted sentence).

import { el, quote } from "./dom.js";
import { citations } from "./cites.js";
import { actionWords } from "./labels.js";

const tone = (polarity) => (polarity < 0 ? "hostile" : polarity > 0 ? "friendly" : "neutral");

function actor(name, part) {
  return part ? `${name} (${part})` : name;
}

/** "Islamic State claimed responsibility for an attack on Pakistan (police school)". */
export function eventSentence(event) {
  const { verb } = actionWords(event.action);
  const did = event.negated ? `did not (${verb})` : verb;
  return `${actor(event.source_actor, event.source_part)} ${did} ${actor(event.target_actor, event.target_part)}`;
}

function eventDetail(event) {
  const when = (event.dates || []).join(", ") || "date not given";
  const parts = [event.anchor ? `${event.anchor} (${when})` : when, event.tone];
  if (event.attributed) parts.push(`according to ${event.speaker_text || event.speaker || "a source"}`);
  if (event.direction === "other_account") parts.push("another account of these events");
  return parts.filter(Boolean).join(" · ");
}

function eventItem(event) {
  const first = (event.citations || [])[0];
  return el("li", { class: `relation ${tone(event.polarity)}` },
    el("span", { class: "relation-line" }, eventSentence(event)), " ", citations(event.citations),
    el("span", { class: "muted small block" }, eventDetail(event)),
    first && first.text ? el("span", { class: "small block" }, quote(first.text)) : null);
}

function edgesOf(events) {
  const edges = new Map();
  for (const event of events) {
    const key = [event.source_actor, event.target_actor, event.action, Boolean(event.negated)].join("\u0000");
    const edge = edges.get(key) || { source: event.source_actor, target: event.target_actor, action: event.action,
      negated: Boolean(event.negated), count: 0, polarity: 0 };
    edge.count += 1;
    edge.polarity += event.polarity || 0;
    edges.set(key, edge);
  }
  return [...edges.values()];
}

function clampLabel(text, width, margin) {
  const half = text.getComputedTextLength() / 2;
  const x = Number(text.getAttribute("x"));
  text.setAttribute("x", String(Math.max(margin + half, Math.min(width - margin - half, x))));
}

function drawGraph(container, events) {
  const d3 = window.d3;
  const edges = edgesOf(events);
  const names = [...new Set(edges.flatMap((e) => [e.source, e.target]))];
  const width = Math.max(280, container.clientWidth || 0);
  const height = names.length <= 2 ? 200 : Math.min(420, 160 + names.length * 30);
  // Actors on an ellipse in order of appearance: a fixed layout, so nodes never sit on each other.
  const rx = width / 2 - 90;
  const ry = height / 2 - 44;
  const at = new Map(names.map((name, i) => {
    const angle = names.length === 2 ? Math.PI * (1 - i) : Math.PI + (2 * Math.PI * i) / names.length;
    return [name, { x: width / 2 + rx * Math.cos(angle), y: height / 2 + ry * Math.sin(angle) }];
  }));
  const pairs = new Map();
  for (const edge of edges) {
    const key = [edge.source, edge.target].sort().join("\u0000");
    const list = pairs.get(key) || [];
    list.push(edge);
    pairs.set(key, list);
  }
  const root = d3.select(container).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height)
    .attr("role", "img").attr("aria-label", "Relations between actors; the same relations are listed below");
  const defs = root.append("defs");
  for (const kind of ["hostile", "friendly", "neutral"]) {
    defs.append("marker").attr("id", `arrow-${kind}`).attr("viewBox", "0 -5 10 10").attr("refX", 10)
      .attr("markerWidth", 7).attr("markerHeight", 7).attr("orient", "auto")
      .append("path").attr("d", "M0,-5L10,0L0,5").attr("class", `arrow ${kind}`);
  }
  const edgeLayer = root.append("g");
  const nodeLayer = root.append("g");
  const labelLayer = root.append("g");
  const labels = [];
  for (const list of pairs.values()) {
    list.forEach((edge, i) => {
      const a = at.get(edge.source);
      const b = at.get(edge.target);
      // The bend is measured from one fixed direction per pair, so edges both ways fan out to both sides.
      const [p, q] = edge.source < edge.target ? [a, b] : [b, a];
      const length = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      const nx = -(q.y - p.y) / length;
      const ny = (q.x - p.x) / length;
      const bend = (i - (list.length - 1) / 2) * 46;
      const mx = (a.x + b.x) / 2 + nx * bend;
      const my = (a.y + b.y) / 2 + ny * bend;
      const cx = 2 * mx - (a.x + b.x) / 2;
      const cy = 2 * my - (a.y + b.y) / 2;
      // End the line at the node's rim, so the arrow head shows.
      const rim = Math.hypot(b.x - cx, b.y - cy) || 1;
      const ex = b.x - ((b.x - cx) / rim) * 18;
      const ey = b.y - ((b.y - cy) / rim) * 18;
      const kind = tone(edge.polarity);
      edgeLayer.append("path").attr("class", `edge ${kind}`).attr("fill", "none")
        .attr("d", `M${a.x},${a.y} Q${cx},${cy} ${ex},${ey}`).attr("marker-end", `url(#arrow-${kind})`);
      const words = `${edge.negated ? "did not: " : ""}${actionWords(edge.action).short}${edge.count > 1 ? ` ×${edge.count}` : ""}`;
      labels.push(labelLayer.append("text").attr("class", "edge-label").attr("text-anchor", "middle")
        .attr("x", mx).attr("y", my + 4).text(words).node());
    });
  }
  const node = nodeLayer.selectAll("g").data(names).join("g").attr("class", "node");
  node.append("circle").attr("r", 14).attr("cx", (d) => at.get(d).x).attr("cy", (d) => at.get(d).y);
  const nodeLabels = node.append("text").attr("class", "node-label").attr("text-anchor", "middle")
    .attr("x", (d) => at.get(d).x).attr("y", (d) => at.get(d).y + (at.get(d).y > height / 2 ? 32 : -22))
    .text((d) => d).nodes();
  separate([...nodeLabels, ...labels], width, height);
}

function overlaps(r, s) {
  return r.x < s.x + s.width && s.x < r.x + r.width && r.y < s.y + s.height && s.y < r.y + r.height;
}

/** Keep every label inside the chart and off the others: each is nudged up or down until it is clear. */
function separate(texts, width, height) {
  const placed = [];
  for (const text of texts) {
    clampLabel(text, width, 4);
    const y0 = Number(text.getAttribute("y"));
    const steps = [0];
    for (let k = 1; k <= 12; k += 1) steps.push(k * 7, -k * 7);
    for (const dy of steps) {
      const y = y0 + dy;
      text.setAttribute("y", String(y));
      const box = text.getBBox();
      if (box.y < 1 || box.y + box.height > height - 1) continue;
      if (!placed.some((other) => overlaps(box, other))) break;
    }
    placed.push(text.getBBox());
  }
}

/** Fill `chart` and `list` from a brief's `relations` (stances then events) or a report's stance + events. */
export function renderRelations(chart, list, items) {
  chart.replaceChildren();
  list.replaceChildren();
  const stances = items.filter((r) => r && r.kind === "stance");
  const events = items.filter((r) => r && r.kind === "event");
  if (!stances.length && !events.length) return false;
  for (const s of stances) {
    list.append(el("li", { class: `stance ${tone(s.polarity)}` },
      el("strong", {}, `${s.source_actor} towards ${s.target_actor}: `), s.summary || s.label,
      s.note ? el("span", { class: "muted small block" }, s.note) : null));
  }
  for (const event of events) list.append(eventItem(event));
  if (events.length && typeof window.d3 !== "undefined") drawGraph(chart, events);
  return true;
}
