// The brief: the answer quoted from the sources, disagreements, further evidence, timeline, relations,
// the stories its sources belong to, and the sources themselves.

import { $, day, el, externalLink, plural, quote } from "./dom.js";
import { citations, setCitationTarget } from "./cites.js";
import { openArticle } from "./reader.js";
import { conflictsTable } from "./conflicts.js";
import { renderRelations } from "./relations.js";
import { renderTimeline } from "./timeline.js";

let current = null;

export const currentBrief = () => current;

function languageMark(statement) {
  return statement.language
    ? el("span", { class: "badge", title: "quoted in its original language (no translation)" }, statement.language)
    : null;
}

// The calibrated probability that the line answers the question, as a percentage (text, never markup).
function confidenceMark(statement) {
  const p = Number(statement.confidence);
  if (statement.confidence == null || !Number.isFinite(p) || p < 0 || p > 1) return null;
  return el("span", { class: "badge confidence", title: "probability that this line answers the question" },
    `${Math.round(p * 100)}%`);
}

// One name, several entities: the article's own words for which one this line is about.
function entityLabel(statement) {
  return statement.entity ? el("strong", { class: "entity" }, `${statement.entity}: `) : null;
}

function statementItem(statement) {
  const mark = confidenceMark(statement);
  const li = el("li", { class: "statement" }, mark, mark ? " " : null, entityLabel(statement),
    languageMark(statement), statement.language ? " " : null, quote(statement.text, statement.language), " ",
    citations(statement.citations));
  if (statement.conflict != null) {
    li.append(" ", el("a", { href: `#conflicts-table-${statement.conflict}`, class: "badge" }, "disputed"));
  }
  if (statement.also && statement.also.length) {
    li.append(el("div", { class: "muted small" }, "In other words:"), el("ul", { class: "also" },
      statement.also.map((other) => el("li", {}, languageMark(other), other.language ? " " : null,
        quote(other.text, other.language), " ", citations(other.citations)))));
  }
  return li;
}

function storyRow(story, onStory) {
  return el("li", { class: "story" },
    el("a", { href: `#/story/${story.id}`, onclick: onStory }, story.label), " ",
    el("span", { class: "muted small" },
      day(story.first_published), story.last_published && story.last_published !== story.first_published
        ? [" – ", day(story.last_published)] : null,
      ` · ${plural(story.articles, "article")}`,
      story.outlets.length ? ` from ${plural(story.outlets.length, "outlet")}` : "",
      story.cited_sources && story.cited_sources.length ? ` · sources ${story.cited_sources.join(", ")} of this brief` : ""));
}

function renderSources(sources) {
  const body = $("sources").tBodies[0];
  body.replaceChildren(...sources.map((s) => {
    const carriers = [...new Set((s.copies || []).map((c) => c.outlet || c.url || c.article_id))];
    return el("tr", { id: `source-${s.n}` },
      el("td", { "data-label": "#" }, String(s.n)),
      el("td", { "data-label": "Title" },
        el("button", { type: "button", class: "link", onclick: () => openArticle(s.article_id) }, s.title || s.article_id),
        " ", externalLink(s.url, "↗")),
      el("td", { "data-label": "Outlet" }, (s.outlet || "—") + (carriers.length ? ` (also carried by ${carriers.join(", ")})` : "")),
      el("td", { "data-label": "Date" }, day(s.published)),
      el("td", { "data-label": "Language" }, s.language || "—"));
  }));
  $("sources-section").hidden = !sources.length;
}

/** Show `brief` (newsdesk.brief/1). Sections without content are hidden, the timeline included. */
export function renderBrief(brief) {
  current = brief;
  setCitationTarget(openArticle, () => (current && current.sources) || []);
  $("welcome").hidden = true;
  $("brief-body").hidden = false;
  $("brief").classList.remove("stale", "loading");
  $("brief-question").textContent = brief.question;
  $("notes").replaceChildren(...(brief.notes || []).map((n) => el("li", {}, String(n))));
  const answer = brief.answer || [];
  $("answer").replaceChildren(...answer.map(statementItem));
  $("answer-section").hidden = !answer.length;
  const conflicts = brief.conflicts || [];
  $("conflicts-holder").replaceChildren(conflicts.length ? conflictsTable(conflicts, "conflicts-table") : "");
  $("conflicts-section").hidden = !conflicts.length;
  $("evidence").replaceChildren(...(brief.evidence || []).map(statementItem));
  $("evidence-section").hidden = !(brief.evidence || []).length;
  // The timeline only for a brief that has one, and never for a question nothing answers.
  const answered = answer.length + (brief.evidence || []).length > 0;
  // Sections are shown before drawing, so the charts are laid out at their real width.
  $("timeline-section").hidden = false;
  const hasTimeline = answered && renderTimeline($("timeline-body"), brief.timeline || []);
  if (!hasTimeline) $("timeline-body").replaceChildren();
  $("timeline-section").hidden = !hasTimeline;
  $("relations-section").hidden = false;
  const hasRelations = renderRelations($("relations-chart"), $("relations-list"), brief.relations || []);
  $("relations-section").hidden = !hasRelations;
  $("charts-note").hidden = typeof window.d3 !== "undefined" || !(hasTimeline || hasRelations);
  const stories = brief.stories || [];
  $("stories-list").replaceChildren(...stories.map((s) => storyRow(s)));
  $("stories-section").hidden = !stories.length;
  renderSources(brief.sources || []);
  $("brief-actions").hidden = false;
}
