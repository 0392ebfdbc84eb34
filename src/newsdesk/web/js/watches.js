// Watched questions: the "Watching" view (each watch with its unread count), "watch this question"
// from a brief, and a watch's "what changed" view: each change record (newsdesk.change/1) with its
// verbatim cited text, a link that reopens the question's brief and the cited articles. Opening it
// marks what it showed as read (up to the last change id shown, so a newer change stays unread).

import { $, day, el, externalLink, plural, quote } from "./dom.js";
import { api } from "./api.js";
import { citations, setCitationTarget } from "./cites.js";
import { conflictsTable } from "./conflicts.js";
import { openArticle } from "./reader.js";

const KIND_WORDS = {
  statement: "a new answer statement",
  source: "a new source",
  conflict: "a disagreement",
  stance: "a stance",
};

/** The total of unread changes in the nav's "Watching" link (hidden at 0). */
export async function refreshUnread() {
  try {
    const { body } = await api("/api/watches");
    showUnread(body.watches.reduce((sum, w) => sum + w.unread, 0));
  } catch {
    // the header already says why
  }
}

function showUnread(total) {
  const badge = $("watch-unread");
  badge.textContent = total ? String(total) : "";
  badge.title = total ? plural(total, "unread change") : "";
  badge.hidden = !total;
}

/** `/?q=...`: the link that asks the watched question again and shows its brief as it is now. */
const briefLink = (question) => `${window.location.pathname}?${new URLSearchParams({ q: question })}`;

async function removeWatch(watch, out) {
  if (!window.confirm(`Stop watching “${watch.question}”? Its change records are deleted too.`)) return;
  await api(`/api/watches/${watch.id}`, { method: "DELETE" });
  await showWatching(out);
}

export async function showWatching(out) {
  const { body } = await api("/api/watches");
  const status = el("p", { class: "status", role: "status" });
  const items = body.watches.map((w) => el("li", { class: "watch card" },
    el("h3", { class: "watch-question" }, el("a", { href: `#/watching/${w.id}` }, w.question)),
    el("p", { class: "small" },
      w.unread ? el("strong", { class: "unread" }, `${plural(w.unread, "unread change")}`) : el("span", { class: "muted" }, "nothing unread"),
      el("span", { class: "muted" }, ` · ${plural(w.changes, "change")} recorded · watched since `, day(w.created)),
      w.webhook ? el("span", { class: "muted" }, ` · delivered to a webhook`) : null),
    el("p", { class: "buttons" },
      el("a", { href: `#/watching/${w.id}`, class: "button-link" }, "What changed"),
      el("a", { href: briefLink(w.question), class: "button-link" }, "Open the brief"),
      el("button", {
        type: "button", class: "quiet danger",
        onclick: () => removeWatch(w, out).catch((err) => { status.textContent = err.message; }),
      }, "Stop watching"))));
  showUnread(body.watches.reduce((sum, w) => sum + w.unread, 0));
  out.replaceChildren(el("h2", {}, "Watching"),
    el("p", { class: "muted" }, "Saved questions, answered again after every ingest. What is new in a brief is recorded once as a change. "
      + "Ask a question and press “Watch this question” to add one."),
    status,
    items.length ? el("ul", { class: "watches" }, items) : el("p", {}, "No watched questions yet."));
}

function sourceLine(source) {
  return el("span", { class: "change-source" },
    el("button", { type: "button", class: "link", onclick: () => openArticle(source.article_id) }, source.title || source.article_id),
    " ", externalLink(source.url, "↗"),
    el("span", { class: "muted small" }, ` ${source.outlet || "unknown outlet"}, `, day(source.published)));
}

function changeBody(change) {
  // Citation numbers belong to this record's own sources (each record comes from a different brief).
  setCitationTarget(openArticle, () => change.sources || []);
  if (change.statement) {
    const s = change.statement;
    return el("p", { class: "change-text" }, quote(s.text, s.language), " ", citations(s.citations));
  }
  if (change.source) return el("p", { class: "change-text" }, sourceLine(change.source));
  if (change.conflict) return conflictsTable([change.conflict], null);
  if (change.stance) {
    const t = change.stance;
    return el("p", { class: "change-text" }, `${t.source_actor} towards ${t.target_actor}: ${t.label} (${t.tone}). `,
      el("span", { class: "muted" }, t.summary || ""));
  }
  return el("p", { class: "muted" }, "A change of a kind this page does not know.");
}

function changeItem(change, readThrough) {
  const unread = change.id > readThrough;
  const cited = (change.sources || []).filter((s) => !change.source || s.article_id !== change.source.article_id);
  return el("li", { class: `change${unread ? " unread" : ""}`, id: `change-${change.id}`, dataset: { kind: change.kind } },
    el("p", { class: "change-head small" },
      unread ? el("span", { class: "tag new-change" }, "unread") : null, unread ? " " : null,
      el("strong", {}, `${change.status === "changed" ? "Changed" : "New"}: ${KIND_WORDS[change.kind] || change.kind}`),
      el("span", { class: "muted" }, " · recorded "), day(change.recorded)),
    changeBody(change),
    cited.length ? el("ul", { class: "change-sources small" }, cited.map((s) => el("li", {}, `[${s.n}] `, sourceLine(s)))) : null);
}

export async function showChanges(out, id) {
  const [{ body: listing }, { body }] = await Promise.all([
    api("/api/watches"), api(`/api/changes?watch=${encodeURIComponent(id)}`)]);
  const watch = listing.watches.find((w) => String(w.id) === String(id));
  if (!watch) throw new Error(`There is no watch ${id}: it may have been removed.`);
  const newest = body.changes.slice().reverse();
  out.replaceChildren(
    el("p", {}, el("a", { href: "#/watching" }, "← All watched questions")),
    el("h2", {}, `What changed: ${watch.question}`),
    el("p", { class: "muted" }, `${plural(body.changes.length, "change")} since it was first answered on `, day(watch.created),
      watch.unread ? `, ${watch.unread} of them new to you` : "", ". ",
      el("a", { href: briefLink(watch.question), id: "reopen-brief" }, "Open the brief as it is now")),
    newest.length ? el("ol", { class: "changes" }, newest.map((c) => changeItem(c, watch.read_through)))
      : el("p", {}, "Nothing has changed in this brief since it was first answered."));
  if (body.changes.length && watch.unread) {
    const through = Math.max(...body.changes.map((c) => c.id));
    try {
      await api(`/api/watches/${watch.id}/read`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ through }),
      });
    } catch {
      return; // they stay unread, and the header says why; what was shown stays on screen
    }
    await refreshUnread();
  }
}

/** The brief's "Watch this question" button: save the brief's question, then say so next to it. */
export async function watchQuestion(question, status) {
  status.textContent = "Saving the question…";
  try {
    const { body } = await api("/api/watches", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ question }),
    });
    status.replaceChildren("Watching this question: ", el("a", { href: `#/watching/${body.id}` }, "what changed"), ".");
    await refreshUnread();
  } catch (err) {
    status.textContent = err.message;
  }
}
