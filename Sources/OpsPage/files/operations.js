// Operations: the service's health and its database, jobs with dead letters first and a retry
// button (ListJobs, RetryJob), and webhook deliveries with refused ones highlighted.
import * as api from "/ops/api.js";
import { errorNote, h, show, table, when, withFeedback, words } from "/ops/dom.js";

const REFUSED = new Set(["WEBHOOK_OUTCOME_REJECTED", "WEBHOOK_OUTCOME_INVALID", "WEBHOOK_OUTCOME_FAILED"]);

export function render(root) {
  const health = h("div", { class: "health" }, "Checking health…");
  const jobs = h("div", {}, "Loading jobs…");
  const deliveries = h("div", {}, "Loading webhook deliveries…");
  const refresh = h("button", { type: "button" }, "Refresh");
  const load = () => Promise.all([showHealth(health), showJobs(jobs), showDeliveries(deliveries)]);
  refresh.addEventListener("click", load);
  show(root, h("div", { class: "heading-row" }, h("h2", {}, "Operations"), refresh),
    h("h3", {}, "Health"), health, h("h3", {}, "Jobs"), jobs, h("h3", {}, "Webhook deliveries"), deliveries);
  load();
}

async function showHealth(place) {
  try {
    const response = await fetch("/api/health", { cache: "no-store" });
    const body = await response.json();
    show(place, h("p", { class: body.status === "ok" ? "ok" : "bad", "data-health": body.status },
      `Service: ${body.status}. Database: ${body.database}.`));
  } catch (error) {
    show(place, errorNote(error));
  }
}

async function showJobs(place) {
  try {
    const [dead, failed, recent] = await Promise.all([
      api.get("/api/v1/ops/jobs", { state: "JOB_STATE_DEAD", pageSize: 50 }),
      api.get("/api/v1/ops/jobs", { state: "JOB_STATE_FAILED", pageSize: 50 }),
      api.get("/api/v1/ops/jobs", { pageSize: 50 }),
    ]);
    const first = [...(dead.jobs || []), ...(failed.jobs || [])];
    const seen = new Set(first.map((job) => job.id));
    const rows = [...first, ...(recent.jobs || []).filter((job) => !seen.has(job.id))];
    show(place, rows.length === 0 ? h("p", {}, "No jobs.") : table(
      `${(dead.jobs || []).length} dead, ${(failed.jobs || []).length} failed; then the latest jobs`,
      ["Job", "Kind", "Call", "State", "Attempts", "Last error", "Next run", ""], rows.map(jobRow)));
  } catch (error) {
    show(place, errorNote(error));
  }
}

function jobRow(job) {
  const stateCell = h("td", {}, words(job.state, "JOB_STATE_"));
  const actionCell = h("td", {});
  const row = h("tr", { class: job.state === "JOB_STATE_DEAD" ? "dead" : "", "data-job-id": job.id },
    h("td", {}, job.id), h("td", {}, job.kind), h("td", {}, job.callId || "—"), stateCell,
    h("td", {}, job.attempts), h("td", { class: "wrap" }, job.lastError || ""), h("td", {}, when(job.nextRunAt)), actionCell);
  if (job.state === "JOB_STATE_DEAD" || job.state === "JOB_STATE_FAILED") {
    const reason = h("input", { type: "text", name: "reason", maxlength: "500", placeholder: "why" });
    const retry = h("button", { type: "button" }, "Retry", h("span", { class: "visually-hidden" }, ` job ${job.id}`));
    const place = h("div", {});
    retry.addEventListener("click", () => withFeedback(retry, place, async () => {
      const updated = await api.post(`/api/v1/ops/jobs/${encodeURIComponent(job.id)}/retry`, { id: job.id, reason: reason.value });
      stateCell.textContent = words(updated.state, "JOB_STATE_");
      row.classList.remove("dead");
      show(actionCell, h("span", { role: "status" }, "Retried"));
    }));
    reason.id = `retry-reason-${job.id}`;
    show(actionCell, h("div", { class: "retry" },
      h("label", { for: reason.id, class: "visually-hidden" }, `Reason for retrying job ${job.id}`), reason, retry), place);
  }
  return row;
}

async function showDeliveries(place) {
  try {
    const answer = await api.get("/api/v1/ops/webhook-deliveries", { pageSize: 50 });
    const deliveries = answer.deliveries || [];
    const refused = deliveries.filter((d) => REFUSED.has(d.outcome)).length;
    show(place, deliveries.length === 0 ? h("p", {}, "No webhook deliveries yet.") : table(
      `The latest ${deliveries.length} deliveries, ${refused} refused (highlighted)`,
      ["Received", "Provider", "Event", "Outcome", "Reason", "Call", "Bytes"], deliveries.map((d) =>
        h("tr", { class: REFUSED.has(d.outcome) ? "refused" : "" },
          h("td", {}, when(d.receivedAt)), h("td", {}, d.provider), h("td", {}, d.event || "—"),
          h("td", {}, REFUSED.has(d.outcome) ? h("strong", {}, words(d.outcome, "WEBHOOK_OUTCOME_")) : words(d.outcome, "WEBHOOK_OUTCOME_")),
          h("td", { class: "wrap" }, d.reason || ""), h("td", {}, d.callId || "—"), h("td", {}, d.bodySize)))));
  } catch (error) {
    show(place, errorNote(error));
  }
}
