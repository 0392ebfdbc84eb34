// Citation buttons: a number that opens the cited sentence in its article (the reader registers itself).

import { el } from "./dom.js";

let opener = () => {};
let sourcesOf = () => [];

/** `open(articleId, start, end)` is what a click does; `sources()` names the numbers of the current view. */
export function setCitationTarget(open, sources) {
  opener = open;
  sourcesOf = sources;
}

export function citationButton(citation) {
  const n = citation.source;
  const source = sourcesOf().find((s) => s.n === n);
  const articleId = citation.article_id || (source && source.article_id);
  const label = source ? `${source.title}${source.outlet ? `, ${source.outlet}` : ""}` : `source ${n}`;
  return el("button", {
    type: "button", class: "cite", title: label, "aria-label": `Open source ${n}: ${label}`,
    dataset: { article: articleId || "", start: citation.start ?? "", end: citation.end ?? "", source: n ?? "" },
    onclick: () => articleId && opener(articleId, citation.start, citation.end),
  }, String(n ?? "?"));
}

export function citations(list) {
  const seen = new Set();
  const span = el("span", { class: "cites" });
  for (const c of list || []) {
    const key = `${c.article_id}:${c.start}:${c.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    span.append(citationButton(c));
  }
  return span;
}
