// DOM helpers that only ever make text: every string from an article (titles, text, outlets, URLs,
// actor names) is untrusted and goes in through textContent or text nodes, never as HTML.

export const $ = (id) => document.getElementById(id);
const SVG_NS = "http://www.w3.org/2000/svg";

/** An element with attributes, listeners ("onclick") and children; strings become text nodes. */
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function svg(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  return node;
}

/** An http(s) URL as a string, or null: never a javascript:, data: or other scheme. */
export function safeUrl(value) {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export function externalLink(url, label) {
  const href = safeUrl(url);
  return href ? el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", class: "ext" }, label) : null;
}

/** A calendar day as written in the data ("2025-09-17T14:05:00+02:00" -> "2025-09-17"), kept on one line. */
export function day(value) {
  return value ? el("time", { class: "date", datetime: String(value).slice(0, 10) }, String(value).slice(0, 10)) : "—";
}

export const plural = (n, one, many) => `${n} ${n === 1 ? one : many || `${one}s`}`;

/** Python offsets count code points; JavaScript strings count UTF-16 units. Slice by code points. */
export function sliceCodePoints(text, start, end) {
  if (!/[\uD800-\uDFFF]/.test(text)) return [text.slice(0, start), text.slice(start, end), text.slice(end)];
  const points = Array.from(text);
  return [points.slice(0, start).join(""), points.slice(start, end).join(""), points.slice(end).join("")];
}

/** A quote as the source wrote it; when the sentence is itself in quotation marks, none are added. */
export function quote(text, language) {
  const own = /^\s*["“”«»„'‘’‹›「『]/.test(text) && /["“”«»'‘’‹›」』]\s*$/.test(text);
  return el("q", { class: own ? "quote own-marks" : "quote", lang: language || null }, text);
}

export function setStatus(node, message, kind) {
  node.textContent = message || "";
  node.classList.toggle("error", kind === "error");
}
