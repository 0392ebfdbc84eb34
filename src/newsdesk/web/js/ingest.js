// Adding articles: files (with upload progress), a URL, pasted JSON Lines; then the job's counts as it runs.

import { $, el, plural, setStatus } from "./dom.js";
import { api, ApiError, authHeaders, noteAnswer, noteDown, refusal } from "./api.js";

let afterIngest = () => {};

export function onIngested(fn) {
  afterIngest = fn;
}

function showProgress(message, value, kind) {
  $("progress-box").hidden = false;
  const bar = $("progress");
  if (value === null || value === undefined) bar.removeAttribute("value");
  else bar.value = value;
  setStatus($("progress-text"), message, kind);
}

function showErrors(errors) {
  $("progress-errors").replaceChildren(...(errors || []).slice(0, 50).map((e) => el("li", {}, `${e.origin}: ${e.reason}`)));
}

const summary = (report) => `Added ${report.added}, already known ${report.known}, failed ${report.failed}.`;
const megabytes = (n) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;

function jobMessage(job) {
  if (job.state === "queued") return "Waiting for the index (another ingest or the language model is loading)…";
  const counts = `added ${job.added}, already known ${job.known}, failed ${job.failed}`;
  const now = job.current ? `; now reading ${job.current}` : "";
  if (!job.documents) return `Reading ${plural(job.inputs, "input")}${now}…`;
  return `Indexed ${plural(job.documents, "document")} (${counts})${now}`;
}

async function followJob(url) {
  for (;;) {
    const { body: job } = await api(url);
    if (job.state === "done") {
      showProgress(summary(job.report), 100);
      showErrors(job.report.errors);
      afterIngest();
      return;
    }
    if (job.state === "failed") throw new ApiError(500, `The ingest failed: ${job.error}`, job, "refused");
    showProgress(jobMessage(job), null);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function setBusy(busy) {
  for (const id of ["upload-button", "feed-button", "jsonl-button"]) $(id).disabled = busy;
}

async function afterAccepted(promise) {
  setBusy(true);
  showErrors([]);
  try {
    const { body } = await promise;
    await followJob(body.url);
  } catch (err) {
    showProgress(err.message, 0, "error");
    if (err.body && err.body.report) showErrors(err.body.report.errors);
  } finally {
    setBusy(false);
  }
}

export function uploadFiles(files) {
  if (!files || !files.length) return Promise.resolve();
  const form = new FormData();
  let total = 0;
  for (const file of files) {
    form.append("files", file, file.name);
    total += file.size;
  }
  const what = `${plural(files.length, "file")} (${megabytes(total)})`;
  const sent = new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/ingest/files?background=true");
    for (const [key, value] of Object.entries(authHeaders())) xhr.setRequestHeader(key, value);
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) {
        const share = (100 * event.loaded) / event.total;
        showProgress(`Uploading ${what}: ${Math.round(share)}%`, share);
      }
    });
    xhr.addEventListener("load", () => {
      noteAnswer(xhr.status);
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, body: xhr.response });
      else reject(refusal(xhr.status, xhr.response));
    });
    xhr.addEventListener("error", () => {
      noteDown();
      reject(new ApiError(0, "The upload failed: the server is not answering.", null, "down"));
    });
    showProgress(`Uploading ${what}…`, 0);
    xhr.send(form);
  });
  return afterAccepted(sent).then(() => { $("files").value = ""; });
}

export function fetchUrl(url) {
  showProgress(`Fetching ${url}…`, null);
  return afterAccepted(api("/api/ingest/url?background=true", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url }),
  }));
}

export function sendJsonLines(text) {
  showProgress("Sending…", null);
  return afterAccepted(api("/api/ingest/jsonl?background=true", {
    method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: text,
  }));
}
