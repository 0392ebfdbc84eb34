// The page's wiring: the ask form and its history, the views (brief, disagreements, actors, stories, a
// story, watched questions and what changed in one), the connection state in the header, `/?q=...` links, exports. Each part lives in its module.

import { $, el, setStatus } from "./dom.js";
import { api, hasToken, onConnection, setToken } from "./api.js";
import { currentBrief, renderBrief } from "./brief.js";
import { showActors, showConflicts, showStories, showStory } from "./collection.js";
import { briefHtml, briefMarkdown, download, fileName } from "./exporter.js";
import { fetchUrl, onIngested, sendJsonLines, uploadFiles } from "./ingest.js";
import { closeReader, deleteOpenArticle, openArticle } from "./reader.js";
import { refreshUnread, showChanges, showWatching, watchQuestion } from "./watches.js";

const HISTORY_KEY = "newsdesk.history";
const FILTER_KEYS = ["since", "until", "outlet", "lang"];

// ---- connection state, shown once in the header ------------------------------------------------

const CONNECTION = {
  ok: "",
  down: "The server is not answering. What is on screen may be out of date.",
  "no-token": "This server needs a token.",
  "wrong-token": "The token was not accepted.",
};

onConnection((state) => {
  document.body.dataset.connection = state;
  $("connection").textContent = CONNECTION[state] || "";
  $("connection").hidden = state === "ok";
  const needsToken = state === "no-token" || state === "wrong-token";
  $("token-box").hidden = !needsToken;
  if (needsToken) $("token-message").textContent = CONNECTION[state];
  if (state === "down" && !$("brief-body").hidden) $("brief").classList.add("stale");
  if (state === "ok") $("brief").classList.remove("stale");
});

// ---- stats and what the server offers -----------------------------------------------------------

async function refreshStats() {
  try {
    const { body } = await api("/api/stats");
    const langs = Object.entries(body.languages || {});
    const parts = [`${body.articles} article${body.articles === 1 ? "" : "s"}`, `${body.outlets} outlets`];
    if (langs.length) parts.push(langs.map(([code, n]) => `${code} ${n}`).join(", "));
    $("stats").textContent = parts.join(" · ");
    const select = $("f-lang");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "" }, "any"));
    for (const [code] of langs) if (code !== "?") select.append(el("option", { value: code }, code));
    select.value = chosen;
  } catch (err) {
    $("stats").textContent = err.kind === "down" ? "—" : "";
  }
}

async function refreshOffers() {
  try {
    const { body } = await api("/api/health");
    const offered = new Set(body.listings || []);
    for (const [name, id] of [["conflicts", "nav-disagreements"], ["actors", "nav-actors"], ["stories", "nav-stories"]]) {
      $(id).hidden = !offered.has(name);
    }
  } catch {
    // the header already says why
  }
}

// ---- asking -------------------------------------------------------------------------------------

function currentFilters() {
  const filters = {};
  if ($("f-since").value) filters.since = $("f-since").value;
  if ($("f-until").value) filters.until = $("f-until").value;
  if ($("f-outlet").value.trim()) filters.outlet = [$("f-outlet").value.trim()];
  if ($("f-lang").value) filters.lang = [$("f-lang").value];
  return filters;
}

function applyFilters(filters) {
  $("f-since").value = filters.since || "";
  $("f-until").value = filters.until || "";
  $("f-outlet").value = (filters.outlet || [])[0] || "";
  $("f-lang").value = (filters.lang || [])[0] || "";
}

/** `/?q=...&since=...`: a link that asks the same question with the same filters again. */
function questionLink(question, filters) {
  const params = new URLSearchParams({ q: question });
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, [].concat(filters[key])[0]);
  return `${window.location.pathname}?${params}`;
}

let asking = 0;

async function ask(question, filters) {
  const ticket = ++asking;
  const status = $("ask-status");
  $("ask-button").disabled = true;
  showView("brief");
  $("brief").classList.add("loading");
  $("brief").setAttribute("aria-busy", "true");
  $("loading").hidden = false;
  const started = performance.now();
  const tick = () => {
    if (ticket !== asking) return;
    const seconds = Math.round((performance.now() - started) / 1000);
    $("loading-text").textContent = `Reading the sources for “${question}”${seconds ? ` · ${seconds} s` : ""}`;
  };
  tick();
  const timer = setInterval(tick, 1000);
  setStatus(status, "");
  try {
    const { body } = await api("/api/ask", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(Object.assign({ question }, filters)),
    });
    if (ticket !== asking) return;
    renderBrief(body);
    setStatus($("watch-status"), "");
    remember(question, filters);
    window.history.replaceState(null, "", questionLink(question, filters));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setStatus(status, `${body.sources.length} source${body.sources.length === 1 ? "" : "s"} · ${seconds} s`);
  } catch (err) {
    if (ticket !== asking) return;
    setStatus(status, err.message, "error");
    if (err.kind === "down" && !$("brief-body").hidden) $("brief").classList.add("stale");
  } finally {
    clearInterval(timer);
    if (ticket === asking) {
      $("brief").classList.remove("loading");
      $("brief").removeAttribute("aria-busy");
      $("loading").hidden = true;
      $("ask-button").disabled = false;
    }
  }
}

function loadHistory() {
  try {
    const items = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    return Array.isArray(items) ? items.filter((i) => i && typeof i.q === "string") : [];
  } catch {
    return [];
  }
}

function remember(question, filters) {
  const key = JSON.stringify([question, filters]);
  const items = loadHistory().filter((i) => JSON.stringify([i.q, i.filters || {}]) !== key);
  items.unshift({ q: question, filters });
  localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, 30)));
  renderHistory();
}

function renderHistory() {
  const items = loadHistory();
  $("history").replaceChildren(...items.map((item) => {
    const filters = item.filters || {};
    const hint = Object.entries(filters).map(([k, v]) => `${k} ${[].concat(v).join(", ")}`).join("; ");
    return el("li", {},
      el("button", {
        type: "button", class: "link",
        onclick: () => { $("question").value = item.q; applyFilters(filters); ask(item.q, filters); },
      }, item.q),
      hint ? el("span", { class: "muted small" }, ` (${hint})`) : null);
  }));
  $("history-empty").hidden = items.length > 0;
}

// ---- views --------------------------------------------------------------------------------------

const VIEWS = { disagreements: showConflicts, actors: showActors, stories: showStories, watching: showWatching };
const DETAILS = { story: ["stories", showStory], watching: ["watching", showChanges] };

function showView(name) {
  for (const id of ["brief", "collection"]) $(id).hidden = id !== (name === "brief" ? "brief" : "collection");
  for (const link of document.querySelectorAll(".views a")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function route() {
  const match = /^#\/(disagreements|actors|stories|story|watching)(?:\/(\d+))?$/.exec(window.location.hash);
  if (!match) {
    showView("brief");
    return;
  }
  const [, name, id] = match;
  const detail = id !== undefined && DETAILS[name];
  showView(detail ? detail[0] : name);
  const out = $("collection");
  out.classList.add("loading");
  out.setAttribute("aria-busy", "true");
  try {
    if (detail) await detail[1](out, id);
    else if (VIEWS[name]) await VIEWS[name](out);
    else await showStories(out);
  } catch (err) {
    out.replaceChildren(el("p", { class: "error" }, err.message));
  } finally {
    out.classList.remove("loading");
    out.removeAttribute("aria-busy");
    document.body.dataset.view = id !== undefined ? `${name}/${id}` : name;
  }
}

// ---- wiring -------------------------------------------------------------------------------------

function takeTokenFromHash() {
  const match = /^#token=(.+)$/.exec(window.location.hash);
  if (match) {
    setToken(decodeURIComponent(match[1]));
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
}

function exportBrief(kind) {
  const brief = currentBrief();
  if (!brief) return;
  if (kind === "md") download(fileName(brief, "md"), "text/markdown;charset=utf-8", briefMarkdown(brief));
  else download(fileName(brief, "html"), "text/html;charset=utf-8", briefHtml(brief));
}

function wire() {
  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const question = $("question").value.trim();
    if (!question) {
      setStatus($("ask-status"), "Type a question first.", "error");
      return;
    }
    if (window.location.hash) window.history.pushState(null, "", window.location.pathname + window.location.search);
    ask(question, currentFilters());
  });
  $("question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  $("upload-form").addEventListener("submit", (event) => {
    event.preventDefault();
    uploadFiles($("files").files);
  });
  const drop = $("upload-form");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    uploadFiles(event.dataTransfer.files);
  });
  $("feed-form").addEventListener("submit", (event) => {
    event.preventDefault();
    fetchUrl($("feed-url").value.trim());
  });
  $("jsonl-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sendJsonLines($("jsonl-text").value);
  });
  $("reader-close").addEventListener("click", closeReader);
  $("reader-delete").addEventListener("click", () => deleteOpenArticle(refreshStats));
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeReader(); });
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken($("token-input").value.trim());
    $("token-input").value = "";
    refreshStats();
    refreshOffers();
    refreshUnread();
    if (window.location.hash.startsWith("#/")) route();
  });
  $("export-md").addEventListener("click", () => exportBrief("md"));
  $("export-html").addEventListener("click", () => exportBrief("html"));
  $("print").addEventListener("click", () => window.print());
  $("watch-question").addEventListener("click", () => {
    const brief = currentBrief();
    if (brief) watchQuestion(brief.question, $("watch-status"));
  });
  window.addEventListener("hashchange", route);
  $("nav-brief").addEventListener("click", (event) => {
    event.preventDefault();
    window.history.pushState(null, "", window.location.pathname + window.location.search);
    showView("brief");
  });
  onIngested(() => { refreshStats(); refreshUnread(); });
}

function reopenFromLink() {
  const params = new URLSearchParams(window.location.search);
  const question = (params.get("q") || "").trim();
  if (!question) return;
  const filters = {};
  if (params.get("since")) filters.since = params.get("since");
  if (params.get("until")) filters.until = params.get("until");
  if (params.get("outlet")) filters.outlet = [params.get("outlet")];
  if (params.get("lang")) filters.lang = [params.get("lang")];
  $("question").value = question;
  applyFilters(filters);
  ask(question, filters);
}

takeTokenFromHash();
wire();
renderHistory();
// The counts first: the unread count waits for them, so the index's counts show as soon as the server can.
refreshStats().finally(refreshUnread);
refreshOffers();
route();
reopenFromLink();
if (!hasToken()) $("token-input").value = "";
document.body.dataset.ready = "true";
window.newsdesk = Object.freeze({ renderBrief, openArticle, ask });
