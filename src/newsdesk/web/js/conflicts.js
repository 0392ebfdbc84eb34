// The disagreements table: per disputed fact, the event, each source's version (quoted and cited, the
// current figure marked), and how the versions differ with the analysis's note. Used by the brief,
// the collection's Disagreements view and a story's page.

import { day, el, quote } from "./dom.js";
import { citations } from "./cites.js";
import { attributeWords, CLASSIFICATIONS, QUALIFIERS } from "./labels.js";

function versionValue(version) {
  if (version.phrase) return version.phrase;
  return (QUALIFIERS[version.qualifier] || "") + String(version.value ?? "");
}

/** "current" for the figures that replaced others, "earlier" for those replaced, else nothing. */
function standing(conflict, version) {
  if (conflict.classification !== "superseded") return null;
  return version.superseded ? "earlier" : "current";
}

function versionItem(conflict, version) {
  const mark = standing(conflict, version);
  const li = el("li", { class: `version${mark ? ` ${mark}` : ""}` },
    el("strong", { class: "value" }, versionValue(version)), " ",
    mark === "current" ? el("span", { class: "tag current" }, "current figure") : null,
    mark === "earlier" ? el("span", { class: "tag earlier" }, "earlier figure") : null,
    mark ? " " : null,
    quote(version.text || ""), " ", citations(version.citations));
  const who = [version.speaker ? `said by ${version.speaker}` : null, version.outlet].filter(Boolean).join(", ");
  if (who || version.published) {
    li.append(" ", el("span", { class: "meta muted small" }, who, who && version.published ? ", " : "",
      version.published ? day(version.published) : null));
  }
  return li;
}

/** The table for `conflicts` (newsdesk.brief/1 `conflicts`, or a listing's), or a note when there are none. */
export function conflictsTable(conflicts, id) {
  const table = el("table", { class: "conflicts stack", id: id || null },
    el("caption", { class: "sr-only" }, "Facts the sources disagree on"),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col" }, "Fact"), el("th", { scope: "col" }, "Versions"),
      el("th", { scope: "col" }, "How they differ"))));
  const body = el("tbody");
  for (const conflict of conflicts) {
    const [word, meaning] = CLASSIFICATIONS[conflict.classification] || [conflict.classification, ""];
    const versions = el("ul", { class: "versions" });
    for (const version of conflict.versions || []) versions.append(versionItem(conflict, version));
    body.append(el("tr", { id: id ? `${id}-${conflict.id}` : null },
      el("th", { scope: "row", "data-label": "Fact" },
        el("span", { class: "attribute" }, attributeWords(conflict.attribute)),
        conflict.event ? el("span", { class: "event muted small" }, conflict.event) : null),
      el("td", { "data-label": "Versions" }, versions),
      el("td", { "data-label": "How they differ" },
        el("span", { class: `classification ${conflict.classification}` }, word),
        meaning ? el("span", { class: "muted small block" }, meaning) : null,
        conflict.note ? el("span", { class: "note-text block" }, conflict.note) : null)));
  }
  table.append(body);
  return table;
}
