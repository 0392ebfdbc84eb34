// The article reader: a panel over the right of the page with the stored text, the cited span marked.

import { $, el, externalLink, sliceCodePoints, setStatus } from "./dom.js";
import { api } from "./api.js";

const cache = new Map(); // id -> article JSON, so reopening a source costs nothing
let open = null;

export async function openArticle(id, start, end) {
  let article = cache.get(id);
  if (!article) {
    try {
      article = (await api(`/api/articles/${encodeURIComponent(id)}`)).body;
      cache.set(id, article);
    } catch (err) {
      setStatus($("ask-status"), err.message, "error");
      return;
    }
  }
  open = article;
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
  $("reader").hidden = false;
  document.body.classList.add("reading");
  box.scrollTop = marked ? Math.max(0, marked.offsetTop - box.clientHeight / 3) : 0;
}

export function closeReader() {
  $("reader").hidden = true;
  document.body.classList.remove("reading");
}

export async function deleteOpenArticle(after) {
  if (!open || !window.confirm(`Delete “${open.title}” from the index?`)) return;
  try {
    await api(`/api/articles/${encodeURIComponent(open.id)}`, { method: "DELETE" });
    cache.delete(open.id);
    closeReader();
    setStatus($("ask-status"), "Article deleted. Ask again to update the brief.");
    after();
  } catch (err) {
    setStatus($("ask-status"), err.message, "error");
  }
}
