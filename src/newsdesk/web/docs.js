// An offline reader of /openapi.json (FastAPI's own docs page loads scripts from a CDN). The spec's
// descriptions are Markdown; the little of it they use (paragraphs, `code`, **bold**, lists) is
// rendered here as DOM nodes, never as HTML. A server with a token asks for it, as the main page does.
"use strict";

(() => {
  const out = document.getElementById("docs");
  const TOKEN_KEY = "newsdesk.token";

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** Inline Markdown: `code` and **bold**; everything else stays text. */
  function inline(text) {
    const nodes = [];
    const pattern = /`([^`]+)`|\*\*([^*]+)\*\*/g;
    let last = 0;
    for (const match of String(text).matchAll(pattern)) {
      if (match.index > last) nodes.push(text.slice(last, match.index));
      nodes.push(match[1] !== undefined ? el("code", null, match[1]) : el("strong", null, match[2]));
      last = match.index + match[0].length;
    }
    if (last < text.length) nodes.push(text.slice(last));
    return nodes;
  }

  /** Block Markdown: paragraphs split by blank lines, "- " lines as a list. */
  function markdown(text, className) {
    const box = el("div", className || "md");
    for (const block of String(text || "").split(/\n\s*\n/)) {
      const lines = block.split("\n").map((l) => l.trim()).filter(Boolean);
      if (!lines.length) continue;
      if (lines.every((l) => /^[-*] /.test(l))) box.append(el("ul", null, lines.map((l) => el("li", null, inline(l.slice(2))))));
      else box.append(el("p", null, inline(lines.join(" "))));
    }
    return box;
  }

  function schemaName(schema) {
    if (!schema) return "";
    if (schema.$ref) return schema.$ref.split("/").pop();
    if (schema.type === "array") return `${schemaName(schema.items)}[]`;
    if (schema.anyOf) return schema.anyOf.map(schemaName).join(" | ");
    return schema.type || "";
  }

  function operation(method, path, op) {
    const card = el("section", "card");
    card.append(el("h2", null, el("code", null, `${method.toUpperCase()} ${path}`)), markdown(op.summary || ""));
    if (op.description) card.append(markdown(op.description, "md muted small"));
    const params = op.parameters || [];
    if (params.length) {
      card.append(el("h3", null, "Parameters"), el("ul", "small", params.map((p) => el("li", null,
        el("code", null, p.name), ` (${p.in}, ${schemaName(p.schema)}${p.required ? ", required" : ""})`,
        p.description ? [": ", ...inline(p.description)] : null))));
    }
    const body = op.requestBody && op.requestBody.content;
    if (body) {
      card.append(el("h3", null, "Body"), el("ul", "small", Object.entries(body).map(([type, media]) =>
        el("li", null, el("code", null, type), `: ${schemaName(media.schema)}`))));
    }
    const answers = Object.entries(op.responses || {});
    if (answers.length) {
      card.append(el("h3", null, "Answers"), el("ul", "small", answers.map(([status, answer]) => {
        const media = answer.content && answer.content["application/json"];
        return el("li", null, el("strong", null, status), " ", media ? el("code", null, schemaName(media.schema)) : null,
          media ? " — " : "", inline(answer.description || ""));
      })));
    }
    return card;
  }

  function render(spec) {
    const intro = el("section", "card", el("h2", null, `${spec.info.title} ${spec.info.version}`),
      markdown(spec.info.summary || ""), markdown(spec.info.description || ""));
    const schemes = (spec.components && spec.components.securitySchemes) || {};
    for (const [name, scheme] of Object.entries(schemes)) {
      intro.append(el("p", "small", "Authentication: ", el("code", null, `${name}`), ` (${scheme.type} ${scheme.scheme || ""}). `,
        inline(scheme.description || "")));
    }
    out.replaceChildren(intro);
    for (const [path, methods] of Object.entries(spec.paths || {})) {
      for (const [method, op] of Object.entries(methods)) out.append(operation(method, path, op));
    }
    const schemas = (spec.components && spec.components.schemas) || {};
    out.append(el("h2", null, "Types"));
    for (const [name, schema] of Object.entries(schemas)) {
      if (!schema.properties) continue;
      const card = el("section", "card", el("h3", null, el("code", null, name)));
      if (schema.description) card.append(markdown(schema.description, "md muted small"));
      card.append(el("ul", "small", Object.entries(schema.properties).map(([prop, s]) => {
        const required = (schema.required || []).includes(prop) ? ", required" : "";
        return el("li", null, el("code", null, prop), `: ${schemaName(s)}${required}`,
          s.description ? [" — ", ...inline(s.description)] : null);
      })));
      out.append(card);
    }
  }

  function load() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    fetch("/openapi.json", { headers: token ? { Authorization: `Bearer ${token}` } : {} })
      .then((r) => {
        if (r.status === 401) {
          document.getElementById("token-box").hidden = false;
          document.getElementById("token-message").textContent = token
            ? "The token was not accepted. Check it and enter it again."
            : "This server needs a token to show its API.";
          throw new Error("a token is needed");
        }
        return r.ok ? r.json() : Promise.reject(new Error(`the server answered ${r.status}`));
      })
      .then((spec) => {
        document.getElementById("token-box").hidden = true;
        render(spec);
      })
      .catch((err) => out.replaceChildren(el("p", "error", `The API description could not be loaded: ${err.message}.`)));
  }

  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token-input").value.trim());
    document.getElementById("token-input").value = "";
    load();
  });
  load();
})();
