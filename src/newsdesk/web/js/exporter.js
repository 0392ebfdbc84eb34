// A brief as a file to keep or send: Markdown, or one HTML file with its styles inline and no scripts.

import { $ } from "./dom.js";
import { actionWords } from "./labels.js";
import { eventSentence } from "./relations.js";
import { attributeWords } from "./labels.js";

const marks = (cites) => [...new Set((cites || []).map((c) => c.source))].map((n) => `[${n}]`).join("");
const md = (text) => String(text ?? "").replace(/\s+/g, " ").replace(/([\\`*_[\]<>|#])/g, "\\$1").trim();
const day = (value) => (value ? String(value).slice(0, 10) : "undated");

/** The brief as Markdown: every quote with its source numbers, and the sources with links. */
export function briefMarkdown(brief) {
  const lines = [`# ${md(brief.question)}`, ""];
  for (const note of brief.notes || []) lines.push(`> ${md(note)}`, "");
  const statements = (title, list) => {
    if (!list || !list.length) return;
    lines.push(`## ${title}`, "");
    for (const s of list) lines.push(`- “${md(s.text)}” ${marks(s.citations)}`);
    lines.push("");
  };
  statements("Answer", brief.answer);
  if ((brief.conflicts || []).length) {
    lines.push("## Where sources disagree", "", "| Fact | Versions | How they differ |", "| --- | --- | --- |");
    for (const c of brief.conflicts) {
      const versions = c.versions.map((v) => `${md(v.phrase || v.value)}${v.superseded ? " (earlier)" : ""} ${marks(v.citations)}`);
      lines.push(`| ${md(attributeWords(c.attribute))}: ${md(c.event)} | ${versions.join("; ")} | ${md(c.classification)}${c.note ? `: ${md(c.note)}` : ""} |`);
    }
    lines.push("");
  }
  statements("Further evidence", brief.evidence);
  if ((brief.timeline || []).length && (brief.answer || []).length) {
    lines.push("## Timeline", "");
    for (const e of brief.timeline) lines.push(`- ${day(e.date)}: “${md(e.text)}” ${marks(e.citations)}`);
    lines.push("");
  }
  const events = (brief.relations || []).filter((r) => r.kind === "event");
  if ((brief.relations || []).length) {
    lines.push("## Relations", "");
    for (const s of brief.relations.filter((r) => r.kind === "stance")) lines.push(`- ${md(s.source_actor)} towards ${md(s.target_actor)}: ${md(s.summary)}`);
    for (const e of events) lines.push(`- ${md(eventSentence(e))} (${md(actionWords(e.action).short)}) ${marks(e.citations)}`);
    lines.push("");
  }
  if ((brief.stories || []).length) {
    lines.push("## Stories", "");
    for (const s of brief.stories) lines.push(`- ${md(s.label)} (${day(s.first_published)} – ${day(s.last_published)}, ${s.articles} articles)`);
    lines.push("");
  }
  lines.push("## Sources", "");
  for (const s of brief.sources || []) {
    const url = /^https?:\/\//i.test(s.url || "") ? ` <${encodeURI(decodeURI(s.url))}>` : "";
    lines.push(`${s.n}. ${md(s.title)}, ${md(s.outlet || "unknown outlet")}, ${day(s.published)}${url}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The brief as shown, in one HTML file: the page's styles inline, buttons turned into text, no scripts. */
export function briefHtml(brief) {
  const doc = document.implementation.createHTMLDocument(`newsdesk: ${brief.question}`);
  const meta = doc.createElement("meta");
  meta.setAttribute("http-equiv", "Content-Security-Policy");
  meta.setAttribute("content", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  doc.head.prepend(meta);
  const charset = doc.createElement("meta");
  charset.setAttribute("charset", "utf-8");
  doc.head.prepend(charset);
  const style = doc.createElement("style");
  style.textContent = [...document.styleSheets].flatMap((sheet) => {
    try {
      return [...sheet.cssRules].map((rule) => rule.cssText);
    } catch {
      return [];
    }
  }).join("\n");
  doc.head.append(style);
  const body = $("brief-body").cloneNode(true);
  body.querySelectorAll("[hidden], #brief-actions, svg, .sr-only").forEach((node) => node.remove());
  body.querySelectorAll("button").forEach((button) => {
    const span = doc.createElement("span");
    span.className = button.className;
    span.textContent = button.textContent;
    button.replaceWith(span);
  });
  body.querySelectorAll("a[href^='#']").forEach((a) => a.removeAttribute("href"));
  body.querySelectorAll("[id]").forEach((node) => node.removeAttribute("id"));
  doc.body.className = "exported";
  doc.body.append(body);
  return `<!doctype html>\n${doc.documentElement.outerHTML}\n`;
}

export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function fileName(brief, extension) {
  const stem = String(brief.question).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
  return `newsdesk-${stem || "brief"}.${extension}`;
}
