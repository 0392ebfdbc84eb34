// The collection as views: disagreements across all articles, the actors (each opens its relations),
// the stories with their dates, outlets and languages, and a page per story.

import { $, day, el, plural, quote } from "./dom.js";
import { api } from "./api.js";
import { citations, setCitationTarget } from "./cites.js";
import { openArticle } from "./reader.js";
import { conflictsTable } from "./conflicts.js";
import { KINDS } from "./labels.js";
import { eventSentence, renderRelations } from "./relations.js";

function table(caption, columns, rows) {
  return el("table", { class: "listing stack" },
    el("caption", { class: "sr-only" }, caption),
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((cell, i) => el("td", { "data-label": columns[i] }, cell))))));
}

function useSources(sources) {
  setCitationTarget(openArticle, () => sources || []);
}

export async function showConflicts(out) {
  const { body } = await api("/api/conflicts");
  const disputes = body.conflicts;
  useSources(disputes.sources);
  out.replaceChildren(el("h2", {}, "Where sources disagree, across the collection"),
    el("p", { class: "muted" }, `${plural(disputes.conflicts.length, "disputed fact")} in ${plural(disputes.articles_searched, "article")}.`),
    disputes.conflicts.length ? conflictsTable(disputes.conflicts, "collection-conflicts") : el("p", {}, "No two sources disagree on a figure or on who is responsible."));
}

export async function showActors(out) {
  const { body } = await api("/api/actors");
  const relations = el("section", { id: "actor-relations", class: "card", hidden: true, "aria-live": "polite" });
  const rows = body.actors.map((a) => [
    el("button", { type: "button", class: "link actor-open", onclick: () => openRelations(relations, a.actor) }, a.actor),
    KINDS[a.kind] || String(a.kind || "—").replace(/_/g, " "),
    String(a.mentions), String(a.articles), String(a.relations ?? "—"),
    Object.keys(a.names || {}).filter((n) => n !== a.actor).slice(0, 6).join(", ") || "—",
  ]);
  out.replaceChildren(el("h2", {}, "Actors"),
    el("p", { class: "muted" }, "People, groups, companies and countries by how often the articles mention them. Open one to read what it did and what was done to it."),
    body.actors.length ? table("Actors", ["Actor", "Kind", "Mentions", "Articles", "Relations", "Also written as"], rows)
      : el("p", {}, "No actors found yet."),
    relations);
}

async function openRelations(box, name) {
  box.hidden = false;
  box.replaceChildren(el("p", { class: "muted" }, `Loading the relations of ${name}…`));
  const { body } = await api(`/api/relations?q=${encodeURIComponent(name)}`);
  const report = body.relations;
  useSources(report.sources);
  const chart = el("div", { class: "chart" });
  const list = el("ul", { class: "relations" });
  box.replaceChildren(el("h3", {}, `Relations of ${report.actor}`));
  box.append(chart, list);
  const any = renderRelations(chart, list, [...report.stance, ...report.events]);
  if (!any) box.append(el("p", {}, report.note || `No relation of ${report.actor} was found in the articles.`));
  box.scrollIntoView({ block: "nearest" });
}

function dates(first, last) {
  return el("span", { class: "dates" }, day(first), last && last !== first ? [" – ", day(last)] : null);
}

export async function showStories(out) {
  const { body } = await api("/api/stories");
  const rows = body.stories.map((s) => [
    el("a", { href: `#/story/${s.id}` }, s.label), dates(s.first_published, s.last_published),
    `${s.articles} (${plural(s.sources, "source")})`, s.outlets.join(", ") || "—", s.languages.join(", ") || "—",
  ]);
  out.replaceChildren(el("h2", {}, "Stories"),
    el("p", { class: "muted" }, "Articles grouped by the event they report, oldest first. Copies of one text count as one source."),
    body.stories.length ? table("Stories", ["Story", "Dates", "Articles", "Outlets", "Languages"], rows)
      : el("p", {}, "No stories yet: add articles first."));
}

export async function showStory(out, id) {
  const { body: page } = await api(`/api/stories/${encodeURIComponent(id)}`);
  const byId = new Map(page.articles.map((a) => [a.article_id, a]));
  useSources([...page.articles, ...page.disputes.sources]);
  const articles = table("Articles of this story", ["Date", "Outlet", "Title", "Language"], page.articles.map((a) => [
    day(a.published), a.outlet || "—",
    el("button", { type: "button", class: "link", onclick: () => openArticle(a.article_id) }, a.title), a.language || "—",
  ]));
  const actors = el("div", { class: "story-actors" });
  for (const actor of page.actors) {
    const items = actor.events.map((e) => {
      const where = [...new Set(e.citations.map((c) => byId.get(c.article_id)).filter(Boolean)
        .map((a) => `${a.outlet || "unknown outlet"}, ${String(a.published || "undated").slice(0, 10)}`))];
      const first = e.citations[0];
      return el("li", {}, el("span", { class: "relation-line" }, eventSentence(e)), " ", citations(e.citations),
        el("span", { class: "muted small block" }, `reported by ${where.join("; ") || "another article"}`),
        first && first.text ? el("span", { class: "small block" }, quote(first.text)) : null);
    });
    actors.append(el("section", { class: "story-actor" }, el("h4", {}, actor.actor),
      items.length ? el("ul", { class: "relations" }, items) : el("p", { class: "muted small" }, "Named in the story; no action of it was found.")));
  }
  const s = page.story;
  out.replaceChildren(
    el("p", {}, el("a", { href: "#/stories" }, "← All stories")),
    el("h2", {}, s.label),
    el("p", { class: "muted" }, dates(s.first_published, s.last_published),
      ` · ${plural(s.articles, "article")} · ${plural(s.outlets.length, "outlet")}: ${s.outlets.join(", ")} · ${s.languages.join(", ")}`),
    el("h3", {}, "Articles by time and outlet"), articles,
    el("h3", {}, "Where its sources disagree"),
    page.disputes.conflicts.length ? conflictsTable(page.disputes.conflicts, "story-conflicts")
      : el("p", { class: "muted" }, "Its sources agree on every figure found."),
    el("h3", {}, "Its actors: what each outlet reported them doing"), actors);
}
