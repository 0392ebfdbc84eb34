// A minimal, offline reader of /openapi.json (FastAPI's own docs page loads scripts from a CDN).
"use strict";

(() => {
  const out = document.getElementById("docs");

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) if (child !== null && child !== undefined) node.append(String(child));
    return node;
  }

  function schemaName(schema) {
    if (!schema) return "";
    if (schema.$ref) return schema.$ref.split("/").pop();
    if (schema.type === "array") return `${schemaName(schema.items)}[]`;
    if (schema.anyOf) return schema.anyOf.map(schemaName).join(" | ");
    return schema.type || "";
  }

  function render(spec) {
    out.replaceChildren(el("p", "muted", `${spec.info.title} ${spec.info.version}: ${spec.info.description || ""}`));
    for (const [path, methods] of Object.entries(spec.paths || {})) {
      for (const [method, op] of Object.entries(methods)) {
        const card = el("section", "card");
        card.append(el("h3", null, `${method.toUpperCase()} ${path}`), el("p", null, op.summary || ""));
        if (op.description) card.append(el("p", "muted small", op.description));
        const params = op.parameters || [];
        if (params.length) {
          const list = el("ul", "small");
          for (const p of params) {
            list.append(el("li", null, `${p.name} (${p.in}, ${schemaName(p.schema)}${p.required ? ", required" : ""})` +
              `${p.description ? `: ${p.description}` : ""}`));
          }
          card.append(list);
        }
        const body = op.requestBody && op.requestBody.content;
        if (body) {
          for (const [type, media] of Object.entries(body)) card.append(el("p", "small", `Body ${type}: ${schemaName(media.schema)}`));
        }
        out.append(card);
      }
    }
    const schemas = (spec.components && spec.components.schemas) || {};
    for (const [name, schema] of Object.entries(schemas)) {
      if (!schema.properties) continue;
      const card = el("section", "card");
      card.append(el("h3", null, name));
      const list = el("ul", "small");
      for (const [prop, s] of Object.entries(schema.properties)) {
        const required = (schema.required || []).includes(prop) ? ", required" : "";
        list.append(el("li", null, `${prop}: ${schemaName(s)}${required}${s.description ? ` — ${s.description}` : ""}`));
      }
      card.append(list);
      out.append(card);
    }
  }

  const token = sessionStorage.getItem("newsdesk.token");
  fetch("/openapi.json", { headers: token ? { Authorization: `Bearer ${token}` } : {} })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then(render)
    .catch((err) => out.replaceChildren(el("p", "error", `The spec could not be loaded: ${err.message}`)));
})();
