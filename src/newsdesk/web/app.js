// newsdesk web page. Every string that comes from an article (titles, text, outlets, URLs, actor
// names) is untrusted: it is inserted with textContent / DOM nodes only, never as HTML, and links
// are made only from http(s) URLs. The server's Content-Security-Policy is the second line.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const HISTORY_KEY = "newsdesk.history";
  const TOKEN_KEY = "newsdesk.token";
  const SVG = "http://www.w3.org/2000/svg";
  const state = {
    token: sessionStorage.getItem(TOKEN_KEY) || "",
    brief: null,
    articles: new Map(), // id -> article JSON, so reopening a source costs nothing
    readerArticle: null,
    outlets: new Set(),
  };

  // ---- DOM helpers (text only) -------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child)); // strings become text nodes
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }

  /** An http(s) URL as a string, or null: never a javascript:, data: or other scheme. */
  function safeUrl(value) {
    if (typeof value !== "string") return null;
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function externalLink(url, label) {
    const href = safeUrl(url);
    return href ? el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", class: "ext" }, label) : null;
  }

  function toText(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (Array.isArray(value)) return value.map(toText).join(", ");
    if (typeof value === "object") {
      for (const key of ["name", "label", "text", "value", "id"]) if (value[key] != null) return toText(value[key]);
      return JSON.stringify(value);
    }
    return String(value);
  }

  /** Python offsets count code points; JavaScript strings count UTF-16 units. Slice by code points. */
  function sliceCodePoints(text, start, end) {
    if (!/[\uD800-\uDFFF]/.test(text)) return [text.slice(0, start), text.slice(start, end), text.slice(end)];
    const points = Array.from(text);
    return [points.slice(0, start).join(""), points.slice(start, end).join(""), points.slice(end).join("")];
  }

  function setStatus(node, message, isError) {
    node.textContent = message || "";
    node.classList.toggle("error", Boolean(isError));
  }

  // ---- the API -------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, detail, body) {
      super(detail);
      this.status = status;
      this.body = body;
    }
  }

  function authHeaders(extra) {
    const headers = Object.assign({}, extra || {});
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    return headers;
  }

  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = authHeaders(opts.headers);
    let response;
    try {
      response = await fetch(path, opts);
    } catch (err) {
      throw new ApiError(0, "The server cannot be reached.", null);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (response.status === 401) $("token-box").hidden = false;
    if (!response.ok) {
      const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`;
      throw new ApiError(response.status, detail, body);
    }
    return { status: response.status, body };
  }

  // ---- stats, facets, listings ---------------------------------------------------------------

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
      setStatus($("stats"), err.message, true);
    }
  }

  async function refreshListings() {
    try {
      const { body } = await api("/api/health");
      state.charts = Boolean(body.charts);
      const box = $("explore-buttons");
      box.replaceChildren();
      for (const name of body.listings || []) {
        box.append(el("button", { type: "button", onclick: () => showListing(name) }, name));
      }
      $("explore").hidden = !(body.listings || []).length;
    } catch {
      $("explore").hidden = true;
    }
  }

  async function showListing(name) {
    const out = $("explore-out");
    out.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    const q = $("question").value.trim();
    try {
      const { body } = await api(`/api/${encodeURIComponent(name)}${q ? `?q=${encodeURIComponent(q)}` : ""}`);
      const items = body[name];
      out.replaceChildren(el("h3", {}, name), renderValue(items, 0));
    } catch (err) {
      // 404: this version has no such listing; hide the button rather than show an error
      if (err.status === 404) {
        out.replaceChildren();
        refreshListings();
      } else {
        out.replaceChildren(el("p", { class: "error" }, err.message));
      }
    }
  }

  /** Any JSON value as nested lists of text, for listings whose shape this page does not know. */
  function renderValue(value, depth) {
    if (depth > 4) return document.createTextNode(toText(value));
    if (Array.isArray(value)) {
      if (!value.length) return el("p", { class: "muted" }, "none");
      const list = el("ul", { class: "value-list" });
      for (const item of value.slice(0, 200)) list.append(el("li", {}, renderValue(item, depth + 1)));
      return list;
    }
    if (value && typeof value === "object") {
      const dl = el("dl", { class: "value-map" });
      for (const [key, item] of Object.entries(value)) dl.append(el("dt", {}, key), el("dd", {}, renderValue(item, depth + 1)));
      return dl;
    }
    return document.createTextNode(toText(value));
  }

  // ---- asking --------------------------------------------------------------------------------

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

  async function ask(question, filters) {
    const status = $("ask-status");
    const button = $("ask-button");
    button.disabled = true;
    setStatus(status, "Reading the sources…");
    const started = performance.now();
    try {
      const { body } = await api("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ question }, filters)),
      });
      renderBrief(body);
      remember(question, filters);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      setStatus(status, `${body.sources.length} source${body.sources.length === 1 ? "" : "s"} · ${seconds} s`);
    } catch (err) {
      setStatus(status, err.message, true);
    } finally {
      button.disabled = false;
    }
  }

  // ---- history -------------------------------------------------------------------------------

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
    const list = $("history");
    list.replaceChildren();
    for (const item of items) {
      const filters = item.filters || {};
      const hint = Object.entries(filters).map(([k, v]) => `${k} ${toText(v)}`).join(", ");
      list.append(el("li", {},
        el("button", {
          type: "button", class: "link",
          onclick: () => { $("question").value = item.q; applyFilters(filters); ask(item.q, filters); },
        }, item.q),
        hint ? el("span", { class: "muted small" }, ` (${hint})`) : null));
    }
    $("history-empty").hidden = items.length > 0;
  }

  // ---- the brief -----------------------------------------------------------------------------

  function citationButton(citation) {
    const n = citation.source;
    const source = (state.brief && state.brief.sources || []).find((s) => s.n === n);
    const articleId = citation.article_id || (source && source.article_id);
    const label = source ? `${source.title}${source.outlet ? `, ${source.outlet}` : ""}` : `source ${n}`;
    return el("button", {
      type: "button", class: "cite", title: label, "aria-label": `Open source ${n}: ${label}`,
      dataset: { article: articleId || "", start: citation.start ?? "", end: citation.end ?? "", source: n ?? "" },
      onclick: () => articleId && openArticle(articleId, citation.start, citation.end),
    }, String(n ?? "?"));
  }

  function citations(list) {
    const span = el("span", { class: "cites" });
    for (const c of list || []) span.append(citationButton(c));
    return span;
  }

  // A quote in another language than the question's stays as written, marked with its language code.
  function languageMark(statement) {
    return statement.language
      ? el("span", { class: "badge", title: "quoted in its original language (no translation)" }, statement.language)
      : null;
  }

  function quote(statement) {
    return el("q", { class: "quote", lang: statement.language || null }, statement.text);
  }

  function statementItem(statement) {
    const li = el("li", { class: "statement" },
      languageMark(statement), statement.language ? " " : null, quote(statement), " ", citations(statement.citations));
    if (statement.conflict != null || (statement.conflicts && statement.conflicts.length) || statement.disputed) {
      li.append(" ", el("a", { href: "#conflicts-section", class: "badge" }, "disputed"));
    }
    if (statement.also && statement.also.length) {
      const also = el("ul", { class: "also" });
      for (const other of statement.also) {
        also.append(el("li", {}, languageMark(other), other.language ? " " : null, quote(other), " ",
          citations(other.citations)));
      }
      li.append(el("div", { class: "muted small" }, "In other words:"), also);
    }
    return li;
  }

  function renderStatements(list, statements) {
    list.replaceChildren(...statements.map(statementItem));
  }

  function renderBrief(brief) {
    state.brief = brief;
    $("welcome").hidden = true;
    $("brief-body").hidden = false;
    $("brief-question").textContent = brief.question;
    $("notes").replaceChildren(...(brief.notes || []).map((n) => el("li", {}, toText(n))));
    renderStatements($("answer"), brief.answer || []);
    $("answer-section").hidden = !(brief.answer || []).length;
    renderStatements($("evidence"), brief.evidence || []);
    $("evidence-section").hidden = !(brief.evidence || []).length;
    renderConflicts(brief.conflicts || []);
    const chartsMissing = typeof window.d3 === "undefined";
    const drewRelations = renderRelations(brief.relations || [], chartsMissing);
    const drewTimeline = renderTimeline(brief, chartsMissing);
    $("charts-note").hidden = !(chartsMissing && (drewRelations || drewTimeline));
    renderSources(brief.sources || []);
  }

  function renderSources(sources) {
    const body = $("sources").tBodies[0];
    body.replaceChildren();
    const datalist = $("outlets");
    for (const s of sources) {
      if (s.outlet && !state.outlets.has(s.outlet)) {
        state.outlets.add(s.outlet);
        datalist.append(el("option", { value: s.outlet }));
      }
      const open = el("button", { type: "button", class: "link", onclick: () => openArticle(s.article_id) }, s.title || s.article_id);
      // Near-duplicate copies of this source's text are one source: name where else it ran.
      const carriers = [...new Set((s.copies || []).map((c) => c.outlet || c.url || c.article_id))];
      body.append(el("tr", { id: `source-${s.n}` },
        el("td", {}, String(s.n)),
        el("td", {}, open, " ", externalLink(s.url, "↗")),
        el("td", {}, (s.outlet || "—") + (carriers.length ? ` (also carried by ${carriers.join(", ")})` : "")),
        el("td", {}, s.published ? String(s.published).slice(0, 10) : "—"),
        el("td", {}, s.language || "—")));
    }
    $("sources-section").hidden = !sources.length;
  }

  // ---- disagreements -------------------------------------------------------------------------

  const pick = (obj, keys) => {
    for (const key of keys) if (obj && obj[key] !== undefined && obj[key] !== null && obj[key] !== "") return obj[key];
    return undefined;
  };

  function renderConflicts(conflicts) {
    const body = $("conflicts-table").tBodies[0];
    body.replaceChildren();
    for (const conflict of conflicts) {
      const what = pick(conflict, ["attribute", "label", "what", "topic", "title", "key", "field"]);
      const how = pick(conflict, ["classification", "status", "verdict", "relation", "kind", "type"]);
      const versions = pick(conflict, ["versions", "claims", "values", "sides", "items"]) || [];
      const cell = el("td", { class: "versions" });
      if (Array.isArray(versions) && versions.length) {
        const list = el("ul", {});
        for (const version of versions) list.append(versionItem(version));
        cell.append(list);
      } else {
        cell.append(renderValue(conflict, 0));
      }
      body.append(el("tr", {}, el("th", { scope: "row" }, toText(what) || "—"), cell, el("td", {}, toText(how) || "—")));
    }
    $("conflicts-section").hidden = !conflicts.length;
  }

  function versionItem(version) {
    if (typeof version !== "object" || version === null) return el("li", {}, toText(version));
    const written = pick(version, ["value_text", "as_written"]);
    const bare = pick(version, ["value", "claim", "summary"]);
    const qualifier = { lower: "at least ", upper: "at most ", approximate: "about " }[version.qualifier] || "";
    const value = written !== undefined ? written : bare !== undefined ? qualifier + toText(bare) : undefined;
    const quote = pick(version, ["text", "quote", "statement", "sentence"]);
    const cites = version.citations || (version.citation ? [version.citation] : []);
    const outlet = pick(version, ["outlet", "source_outlet", "outlets"]);
    const date = pick(version, ["published", "date"]);
    const li = el("li", { class: "version" });
    if (value !== undefined) li.append(el("strong", { class: "value" }, toText(value)), " ");
    if (quote !== undefined) li.append(el("q", { class: "quote" }, toText(quote)), " ");
    li.append(citations(cites));
    const meta = [toText(outlet), date ? toText(date).slice(0, 10) : ""].filter(Boolean).join(", ");
    if (meta) li.append(" ", el("span", { class: "muted small" }, `(${meta})`));
    return li;
  }

  // ---- relations graph -----------------------------------------------------------------------

  function actorName(value) {
    if (value === null || value === undefined || typeof value === "number") return null;
    if (typeof value === "string") return value;
    if (typeof value === "object") return toText(pick(value, ["name", "label", "actor", "id"]) ?? null) || null;
    return null;
  }

  function polarityClass(value) {
    if (typeof value === "number") return value < 0 ? "hostile" : value > 0 ? "friendly" : "neutral";
    const text = toText(value).toLowerCase();
    if (/hostile|negative|conflict|attack|threat/.test(text)) return "hostile";
    if (/friendly|positive|support|cooperat|praise/.test(text)) return "friendly";
    return "neutral";
  }

  function normalizeRelation(r) {
    if (!r || typeof r !== "object") return null;
    const source = actorName(pick(r, ["source_actor", "actor", "subject", "from", "source"]));
    const target = actorName(pick(r, ["target_actor", "target", "object", "to"]));
    if (!source || !target) return null;
    return {
      source, target,
      type: toText(pick(r, ["type", "action", "relation", "kind", "label"]) ?? "related"),
      polarity: polarityClass(pick(r, ["polarity", "tone", "stance"])),
      citations: r.citations || (r.citation ? [r.citation] : []),
    };
  }

  function renderRelations(relations, chartsMissing) {
    const edges = relations.map(normalizeRelation).filter(Boolean);
    const chart = $("relations-chart");
    const list = $("relations-list");
    chart.replaceChildren();
    list.replaceChildren();
    $("relations-section").hidden = !edges.length;
    if (!edges.length) return false;
    for (const e of edges) {
      list.append(el("li", { class: e.polarity }, `${e.source} → ${e.type} → ${e.target} `, citations(e.citations)));
    }
    if (!chartsMissing) drawGraph(chart, edges);
    return true;
  }

  function drawGraph(container, edges) {
    const d3 = window.d3;
    const width = Math.max(container.clientWidth || 0, 480);
    const height = 320;
    const names = [...new Set(edges.flatMap((e) => [e.source, e.target]))];
    const nodes = names.map((name) => ({ id: name }));
    const links = edges.map((e) => ({ source: e.source, target: e.target, edge: e }));
    const simulation = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id((d) => d.id).distance(140))
      .force("charge", d3.forceManyBody().strength(-500))
      .force("center", d3.forceCenter(width / 2, height / 2))
      .force("collide", d3.forceCollide(40))
      .stop();
    for (let i = 0; i < 300; i += 1) simulation.tick(); // laid out once, no animation: stable and fast
    for (const n of nodes) {
      n.x = Math.max(60, Math.min(width - 60, n.x));
      n.y = Math.max(20, Math.min(height - 40, n.y)); // room for the label under the node
    }
    const root = d3.select(container).append("svg")
      .attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height)
      .attr("role", "img").attr("aria-label", "Relations between actors");
    const defs = root.append("defs");
    for (const kind of ["hostile", "friendly", "neutral"]) {
      defs.append("marker").attr("id", `arrow-${kind}`).attr("viewBox", "0 -5 10 10").attr("refX", 22)
        .attr("markerWidth", 7).attr("markerHeight", 7).attr("orient", "auto")
        .append("path").attr("d", "M0,-5L10,0L0,5").attr("class", `arrow ${kind}`);
    }
    root.append("g").selectAll("line").data(links).join("line")
      .attr("class", (d) => `edge ${d.edge.polarity}`)
      .attr("x1", (d) => d.source.x).attr("y1", (d) => d.source.y)
      .attr("x2", (d) => d.target.x).attr("y2", (d) => d.target.y)
      .attr("marker-end", (d) => `url(#arrow-${d.edge.polarity})`);
    root.append("g").selectAll("text").data(links).join("text")
      .attr("class", "edge-label").attr("text-anchor", "middle")
      .attr("x", (d) => (d.source.x + d.target.x) / 2).attr("y", (d) => (d.source.y + d.target.y) / 2 - 4)
      .text((d) => d.edge.type);
    const node = root.append("g").selectAll("g").data(nodes).join("g")
      .attr("class", "node").attr("transform", (d) => `translate(${d.x},${d.y})`);
    node.append("circle").attr("r", 14);
    node.append("text").attr("class", "node-label").attr("text-anchor", "middle").attr("y", 30).text((d) => d.id);
  }

  // ---- timeline ------------------------------------------------------------------------------

  function timelinePoints(brief) {
    const sources = brief.sources || [];
    if (Array.isArray(brief.timeline) && brief.timeline.length) {
      const points = brief.timeline.map((item) => {
        const when = pick(item, ["date", "when", "published", "time"]);
        const cites = item.citations || (item.citation ? [item.citation] : []);
        return { when, label: toText(pick(item, ["label", "text", "title", "event", "summary"])), cites };
      });
      return { points, caption: "Events in the order they happened, as the brief gives them." };
    }
    const points = sources.filter((s) => s.published).map((s) => ({
      when: s.published, label: `[${s.n}] ${s.outlet || s.title}`, source: s,
    }));
    return { points, caption: "When each source was published (not necessarily when the events happened)." };
  }

  function renderTimeline(brief, chartsMissing) {
    const { points: raw, caption } = timelinePoints(brief);
    const points = raw.map((p) => Object.assign({}, p, { date: new Date(String(p.when).slice(0, 10)) }))
      .filter((p) => !Number.isNaN(p.date.getTime()))
      .sort((a, b) => a.date - b.date);
    const chart = $("timeline-chart");
    chart.replaceChildren();
    $("timeline-section").hidden = !points.length;
    if (!points.length) return false;
    $("timeline-caption").textContent = caption;
    if (chartsMissing) {
      const list = el("ol", { class: "timeline-list" });
      for (const p of points) list.append(el("li", {}, `${p.date.toISOString().slice(0, 10)} — ${p.label}`));
      chart.append(list);
    } else {
      drawTimeline(chart, points);
    }
    return true;
  }

  function drawTimeline(container, points) {
    const d3 = window.d3;
    const width = Math.max(container.clientWidth || 0, 480);
    const rows = Math.min(points.length, 4);
    const height = 60 + rows * 22;
    const margin = { left: 70, right: 70 };
    // Dates are calendar days (UTC midnight), so the scale and the ticks are in UTC days too.
    let [lo, hi] = d3.extent(points, (p) => p.date);
    if (+lo === +hi) {
      lo = d3.utcDay.offset(lo, -1);
      hi = d3.utcDay.offset(hi, 1);
    }
    const x = d3.scaleUtc().domain([lo, hi]).range([margin.left, width - margin.right]);
    const days = d3.utcDay.count(lo, hi);
    const axis = d3.axisBottom(x);
    if (days <= 31) axis.ticks(d3.utcDay.every(Math.max(1, Math.ceil(days / 6)))).tickFormat(d3.utcFormat("%d %b %Y"));
    else axis.ticks(6);
    const root = d3.select(container).append("svg")
      .attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height)
      .attr("role", "img").attr("aria-label", "Timeline");
    root.append("g").attr("class", "axis").attr("transform", `translate(0,${height - 24})`).call(axis);
    const mark = root.append("g").selectAll("g").data(points).join("g")
      .attr("class", "tl-point")
      .attr("transform", (p, i) => `translate(${x(p.date)},${18 + (i % rows) * 22})`);
    mark.append("line").attr("class", "tl-stem").attr("y1", 0).attr("y2", (p, i) => height - 24 - 18 - (i % rows) * 22);
    mark.append("circle").attr("r", 5)
      .on("click", (event, p) => {
        if (p.source) openArticle(p.source.article_id);
        else if (p.cites && p.cites[0]) citationButton(p.cites[0]).click();
      });
    // Labels on the right half read leftwards, so none runs off the chart.
    const leftwards = (p) => x(p.date) > width / 2;
    mark.append("text").attr("x", (p) => (leftwards(p) ? -8 : 8)).attr("y", 4)
      .attr("text-anchor", (p) => (leftwards(p) ? "end" : "start")).text((p) => p.label);
  }

  // ---- the article reader --------------------------------------------------------------------

  async function fetchArticle(id) {
    if (!state.articles.has(id)) {
      const { body } = await api(`/api/articles/${encodeURIComponent(id)}`);
      state.articles.set(id, body);
    }
    return state.articles.get(id);
  }

  async function openArticle(id, start, end) {
    const reader = $("reader");
    let article;
    try {
      article = await fetchArticle(id);
    } catch (err) {
      setStatus($("ask-status"), err.message, true);
      return;
    }
    state.readerArticle = article;
    $("reader-title").textContent = article.title || article.id;
    $("reader-meta").textContent = [article.outlet, article.published && String(article.published).slice(0, 10),
      article.language, article.author].filter(Boolean).join(" · ");
    const link = externalLink(article.url, article.url || "");
    $("reader-link").replaceChildren(...(link ? [link] : []));
    $("reader-link").hidden = !link;
    const box = $("reader-text");
    const text = article.text || "";
    let marked = null;
    if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start) {
      const [before, cited, after] = sliceCodePoints(text, start, end);
      marked = el("mark", { id: "cited", class: "cited" }, cited);
      box.replaceChildren(document.createTextNode(before), marked, document.createTextNode(after));
    } else {
      box.replaceChildren(document.createTextNode(text));
    }
    reader.hidden = false;
    document.body.classList.add("reading");
    // Scroll the article box only (not the whole page) so the cited span sits in its upper third.
    box.scrollTop = marked ? Math.max(0, marked.offsetTop - box.clientHeight / 3) : 0;
    reader.scrollIntoView({ block: "nearest" });
  }

  function closeReader() {
    $("reader").hidden = true;
    document.body.classList.remove("reading");
  }

  async function deleteOpenArticle() {
    const article = state.readerArticle;
    if (!article || !window.confirm(`Delete “${article.title}” from the index?`)) return;
    try {
      await api(`/api/articles/${encodeURIComponent(article.id)}`, { method: "DELETE" });
      state.articles.delete(article.id);
      closeReader();
      setStatus($("ask-status"), "Article deleted. Ask again to update the brief.");
      refreshStats();
    } catch (err) {
      setStatus($("ask-status"), err.message, true);
    }
  }

  // ---- adding articles, with progress --------------------------------------------------------

  function showProgress(message, value) {
    $("progress-box").hidden = false;
    const bar = $("progress");
    if (value === null || value === undefined) bar.removeAttribute("value");
    else bar.value = value;
    setStatus($("progress-text"), message);
  }

  function showErrors(errors) {
    const list = $("progress-errors");
    list.replaceChildren(...(errors || []).slice(0, 50).map((e) => el("li", {}, `${e.origin}: ${e.reason}`)));
  }

  function summary(report) {
    return `Added ${report.added}, already known ${report.known}, failed ${report.failed}.`;
  }

  async function followJob(jobUrl) {
    for (;;) {
      const { body: job } = await api(jobUrl);
      if (job.state === "done") {
        showProgress(summary(job.report), 100);
        showErrors(job.report.errors);
        refreshStats();
        return job.report;
      }
      if (job.state === "failed") throw new ApiError(500, `Ingest failed: ${job.error}`, job);
      const where = job.current ? ` — ${job.current}` : "";
      showProgress(`Indexing: ${job.documents} documents read (added ${job.added}, known ${job.known}, ` +
        `failed ${job.failed})${where}`, null);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  function setBusy(busy) {
    for (const id of ["upload-button", "feed-button"]) $(id).disabled = busy;
  }

  async function afterAccepted(promise) {
    setBusy(true);
    showErrors([]);
    try {
      const { body } = await promise;
      await followJob(body.url);
    } catch (err) {
      showProgress(err.message, 0);
      $("progress-text").classList.add("error");
      if (err.body && err.body.report) showErrors(err.body.report.errors);
    } finally {
      setBusy(false);
    }
  }

  function uploadFiles(files) {
    if (!files || !files.length) return;
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    const sent = new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/ingest/files?background=true");
      for (const [key, value] of Object.entries(authHeaders())) xhr.setRequestHeader(key, value);
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) {
          showProgress(`Uploading: ${Math.round((100 * event.loaded) / event.total)}%`, (100 * event.loaded) / event.total);
        }
      });
      xhr.addEventListener("load", () => {
        const body = xhr.response;
        if (xhr.status === 401) $("token-box").hidden = false;
        if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, body });
        else reject(new ApiError(xhr.status, (body && body.detail) || `HTTP ${xhr.status}`, body));
      });
      xhr.addEventListener("error", () => reject(new ApiError(0, "The upload failed: the server cannot be reached.", null)));
      showProgress("Uploading…", 0);
      xhr.send(form);
    });
    return afterAccepted(sent).then(() => { $("files").value = ""; });
  }

  // ---- wiring --------------------------------------------------------------------------------

  function takeTokenFromHash() {
    const match = /^#token=(.+)$/.exec(window.location.hash);
    if (match) {
      state.token = decodeURIComponent(match[1]);
      sessionStorage.setItem(TOKEN_KEY, state.token);
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  function wire() {
    $("ask-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const question = $("question").value.trim();
      if (!question) {
        setStatus($("ask-status"), "Type a question first.", true);
        return;
      }
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
      showProgress("Fetching…", null);
      afterAccepted(api("/api/ingest/url?background=true", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url: $("feed-url").value.trim() }),
      }));
    });
    $("jsonl-form").addEventListener("submit", (event) => {
      event.preventDefault();
      showProgress("Sending…", null);
      afterAccepted(api("/api/ingest/jsonl?background=true", {
        method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: $("jsonl-text").value,
      }));
    });
    $("reader-close").addEventListener("click", closeReader);
    $("reader-delete").addEventListener("click", deleteOpenArticle);
    document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeReader(); });
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      state.token = $("token-input").value;
      sessionStorage.setItem(TOKEN_KEY, state.token);
      $("token-box").hidden = true;
      refreshStats();
      refreshListings();
    });
  }

  takeTokenFromHash();
  wire();
  renderHistory();
  refreshStats();
  refreshListings();
  document.body.dataset.ready = "true";
  window.newsdesk = Object.freeze({ renderBrief, openArticle, ask });
})();
