// Analytics over a chosen period, overall or for one expert: GetCallAnalytics for the rates,
// durations and quality, and ListCalls of the period for volume per day and the distribution
// of durations.
import * as api from "/ops/api.js";
import { bars, meters } from "/ops/charts.js";
import { dayStart, field, h, isoDay, select, show, withFeedback } from "/ops/dom.js";

const DAY = 24 * 3600 * 1000;

export function render(root, session) {
  const today = new Date();
  const from = h("input", { type: "date", name: "from", value: isoDay(new Date(today.getTime() - 29 * DAY)), required: true });
  const to = h("input", { type: "date", name: "to", value: isoDay(new Date(today.getTime() + 7 * DAY)), required: true });
  const expert = select("expert", [["", "All experts"], ...session.experts.map((e) => [e.id, e.name])], "");
  const submit = h("button", { type: "submit" }, "Draw charts");
  const status = h("div", { class: "status" });
  const charts = h("div", { class: "charts" });
  const form = h("form", { class: "filters", "aria-label": "Analytics period" },
    field("From (UTC day)", from), field("To (UTC day)", to), field("Expert", expert), submit, status);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    withFeedback(submit, status, () => draw(charts, session, from.value, to.value, expert.value));
  });
  show(root, h("h2", {}, "Analytics"), form, charts);
  withFeedback(submit, status, () => draw(charts, session, from.value, to.value, expert.value));
}

async function draw(charts, session, fromDay, toDay, expertId) {
  const params = { from: dayStart(fromDay), to: dayStart(toDay, true), expertId };
  const [analytics, calls] = await Promise.all([
    api.get("/api/v1/analytics/calls", params),
    api.all("/api/v1/calls", "calls", params, 5),
  ]);
  const days = [];
  for (let day = new Date(params.from); day < new Date(params.to); day = new Date(day.getTime() + DAY)) days.push(isoDay(day));
  const perDay = new Map(days.map((d) => [d, 0]));
  for (const call of calls) {
    const d = (call.scheduledStart || "").slice(0, 10);
    if (perDay.has(d)) perDay.set(d, perDay.get(d) + 1);
  }
  const minutes = calls.filter((c) => c.startedAt && c.endedAt)
    .map((c) => (new Date(c.endedAt) - new Date(c.startedAt)) / 60000);
  const binMinutes = 10;
  const binCount = Math.min(12, Math.max(1, Math.ceil(Math.max(0, ...minutes) / binMinutes)));
  const bins = Array(binCount).fill(0);
  for (const m of minutes) bins[Math.min(binCount - 1, Math.floor(m / binMinutes))] += 1;
  const total = Number(analytics.totalCalls);
  const minutesOf = (seconds) => (Number(seconds) / 60).toFixed(1);
  const perExpert = (analytics.perExpert || []).filter((e) => Number(e.qualityReportedCalls) > 0);
  show(charts,
    h("p", { class: "summary", "data-total-calls": total },
      `${total} calls: ${analytics.completedCalls} completed, ${analytics.cancelledCalls} cancelled, ${analytics.noShowCalls} no-shows. `
      + `Average duration ${minutesOf(analytics.averageDurationSeconds)} min, 90th percentile ${minutesOf(analytics.p90DurationSeconds)} min.`),
    bars("Calls per day", [...perDay.keys()].map((d) => d.slice(5)), [...perDay.values()],
      `${calls.length} calls scheduled between ${fromDay} and ${toDay}, busiest day ${Math.max(0, ...perDay.values())}.`),
    meters("Outcomes", [["Completion rate", Number(analytics.completionRate)], ["No-show rate", Number(analytics.noShowRate)],
      ["Cancelled of all", total > 0 ? Number(analytics.cancelledCalls) / total : 0]]),
    bars("Duration of held calls (minutes)", bins.map((_, i) => `${i * binMinutes}–${(i + 1) * binMinutes}`), bins,
      minutes.length ? `${minutes.length} calls with a start and end.` : "No call in the period has both a start and an end yet."),
    perExpert.length
      ? meters("Video quality score by expert", perExpert.map((e) => [session.expertName(e.expertId), Number(e.averageQualityScore)]),
        { max: 100, percent: false })
      : h("p", { class: "muted" }, `Video quality: ${analytics.qualityReportedCalls} calls reported, average score ${Number(analytics.averageQualityScore).toFixed(1)}.`));
}
