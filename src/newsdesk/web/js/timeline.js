// The timeline of a sequence question: a strip of dots on a date axis (no text on the chart but the
// axis' own dates, so nothing can overlap or run off it) above the dated entries as a list, then the
// undated entries apart, each with why it could not be placed.

import { $, day, el, quote } from "./dom.js";
import { citations } from "./cites.js";

const PRECISION = { day: "", month: " (month)", year: " (year)", range: " (range)" };

function entryItem(entry, byNumber) {
  const differs = (entry.differs || []).filter((n) => byNumber.has(n));
  return el("li", { class: "tl-entry", id: `tl-${entry.n}` },
    el("span", { class: "tl-when" }, entry.date ? day(entry.date) : null,
      entry.date && entry.date_end && entry.date_end !== entry.date ? [" – ", day(entry.date_end)] : null,
      entry.date ? el("span", { class: "muted small" }, PRECISION[entry.precision] || "") : null),
    el("span", { class: "tl-what" }, quote(entry.text, entry.language), " ", citations(entry.citations),
      entry.expression && entry.basis !== "stated"
        ? el("span", { class: "muted small block" }, `“${entry.expression}”, ${entry.basis === "relative" ? "counted from the publication date" : entry.basis}`)
        : null,
      !entry.date && entry.note ? el("span", { class: "why muted small block" }, `Why undated: ${entry.note}`) : null,
      entry.date && entry.note ? el("span", { class: "muted small block" }, entry.note) : null,
      differs.length ? el("span", { class: "badge block-inline" }, `sources give other dates: see ${differs.join(", ")}`) : null));
}

function drawStrip(container, dated) {
  const d3 = window.d3;
  const width = Math.max(240, container.clientWidth || 0);
  const margin = 44; // room for half a tick label at either end
  const days = dated.map((e) => new Date(`${String(e.date).slice(0, 10)}T00:00:00Z`));
  let [lo, hi] = d3.extent(days);
  if (+lo === +hi) {
    lo = d3.utcDay.offset(lo, -1);
    hi = d3.utcDay.offset(hi, 1);
  }
  const x = d3.scaleUtc().domain([lo, hi]).range([margin, width - margin]);
  const span = d3.utcDay.count(lo, hi);
  const ticks = Math.max(2, Math.min(span + 1, Math.floor((width - 2 * margin) / 90)));
  const axis = d3.axisBottom(x).ticks(ticks).tickSizeOuter(0);
  if (span <= 62) axis.tickFormat(d3.utcFormat("%-d %b"));
  const stacks = new Map();
  const placed = dated.map((entry, i) => {
    const key = +days[i];
    const level = stacks.get(key) || 0;
    stacks.set(key, level + 1);
    return { entry, x: x(days[i]), level };
  });
  const rows = Math.max(...stacks.values());
  const height = 16 + rows * 14 + 26;
  const root = d3.select(container).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height)
    .attr("role", "img").attr("aria-label", `${dated.length} dated entries from ${day(dated[0].date).textContent} `
      + `to ${day(dated[dated.length - 1].date).textContent}; they are listed below`);
  root.append("g").attr("class", "axis").attr("transform", `translate(0,${height - 24})`).call(axis);
  root.append("g").selectAll("circle").data(placed).join("circle")
    .attr("class", "tl-dot").attr("r", 5).attr("cx", (p) => p.x).attr("cy", (p) => height - 32 - p.level * 14)
    .on("click", (event, p) => $(`tl-${p.entry.n}`)?.scrollIntoView({ block: "center" }))
    .append("title").text((p) => `${String(p.entry.date).slice(0, 10)}: entry ${p.entry.n}`);
}

/** Fill `container` with the timeline of `entries` (newsdesk timeline entries); false when there are none. */
export function renderTimeline(container, entries) {
  container.replaceChildren();
  if (!entries || !entries.length) return false;
  const byNumber = new Set(entries.map((e) => e.n));
  const dated = entries.filter((e) => e.date).sort((a, b) => String(a.date).localeCompare(String(b.date)));
  const undated = entries.filter((e) => !e.date);
  if (dated.length) {
    const strip = el("div", { class: "tl-strip chart" });
    container.append(strip);
    if (typeof window.d3 !== "undefined") drawStrip(strip, dated);
    container.append(el("ol", { class: "tl-list" }, dated.map((e) => entryItem(e, byNumber))));
  }
  if (undated.length) {
    container.append(el("div", { class: "tl-undated" },
      el("h4", {}, `Not placed in time (${undated.length})`),
      el("p", { class: "muted small" }, dated.length
        ? "These entries belong to the answer, but neither the sentence nor its article gives a date."
        : "None of these entries could be dated: neither the sentences nor their articles give a date. They are in the order the sources tell them."),
      el("ol", { class: "tl-list" }, undated.map((e) => entryItem(e, byNumber)))));
  }
  return true;
}
