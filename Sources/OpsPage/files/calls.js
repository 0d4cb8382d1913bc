// Calls: ListCalls with filters, and one call's detail: GetCallTimeline, the actions the API
// allows (cancel, complete, reassign with the candidates' scores) and WatchCall's live updates.
import * as api from "/ops/api.js";
import { dayStart, errorNote, field, h, select, show, table, when, withFeedback, words } from "/ops/dom.js";

const STATES = ["CALL_STATE_SCHEDULED", "CALL_STATE_IN_PROGRESS", "CALL_STATE_COMPLETED",
  "CALL_STATE_CANCELLED", "CALL_STATE_NO_SHOW"];

let stopWatching = () => {};

export function render(root, session) {
  stopWatching();
  const state = select("state", [["", "Any state"], ...STATES.map((s) => [s, words(s, "CALL_STATE_")])], "");
  const expert = select("expert", [["", "Any expert"], ...session.experts.map((e) => [e.id, e.name])], "");
  const from = h("input", { type: "date", name: "from" });
  const to = h("input", { type: "date", name: "to" });
  const status = h("div", { class: "status" });
  const list = h("div", { class: "list" });
  const detail = h("section", { class: "detail", "aria-label": "Call detail", tabindex: "-1" });
  const submit = h("button", { type: "submit" }, "Show calls");
  const filters = h("form", { class: "filters", "aria-label": "Call filters" },
    field("State", state), session.admin ? field("Expert", expert) : null,
    field("From (UTC day)", from), field("To (UTC day)", to), submit, status);

  // The latest request wins: an earlier answer arriving late is dropped.
  let generation = 0;
  async function load() {
    generation += 1;
    const mine = generation;
    const shown = { state: state.value, expert: session.admin ? expert.value : "" };
    show(status, h("p", { class: "muted" }, "Loading calls…"));
    let calls;
    try {
      const answer = await api.get("/api/v1/calls", {
        states: shown.state, expertId: shown.expert,
        from: dayStart(from.value), to: dayStart(to.value, true), pageSize: 100 });
      calls = answer.calls || [];
    } catch (error) {
      if (mine === generation) show(status, errorNote(error));
      return;
    }
    if (mine !== generation) return;
    show(status);
    list.dataset.state = shown.state;
    list.dataset.expert = shown.expert;
    show(list, calls.length === 0 ? h("p", {}, "No calls match.") : table(
      `${calls.length} call${calls.length === 1 ? "" : "s"}, newest first`,
      ["Start", "Topic", "Customer", "Expert", "State", ""],
      calls.map((call) => h("tr", { "data-call-id": call.id },
        h("td", {}, when(call.scheduledStart)), h("td", {}, call.topic || "—"),
        h("td", {}, call.customer?.name || call.customer?.email || "—"),
        h("td", {}, session.expertName(call.expertId)),
        h("td", {}, h("span", { class: `state ${call.state}` }, words(call.state, "CALL_STATE_"))),
        h("td", {}, h("button", { type: "button", onclick: () => openCall(detail, session, call.id) },
          "Open", h("span", { class: "visually-hidden" }, ` call ${call.topic || call.id}`)))))));
  }
  filters.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  show(root, h("h2", {}, session.admin ? "Calls" : "My calls"), filters, h("div", { class: "split" }, list, detail));
  load();
}

async function openCall(detail, session, id) {
  stopWatching();
  show(detail, h("p", {}, "Loading the call…"));
  detail.focus();
  let call;
  let timeline;
  try {
    [call, timeline] = await Promise.all([
      api.get(`/api/v1/calls/${encodeURIComponent(id)}`),
      api.get(`/api/v1/calls/${encodeURIComponent(id)}/timeline`)]);
  } catch (error) {
    show(detail, errorNote(error));
    return;
  }
  const summary = h("div", {});
  const live = h("p", { class: "live", "aria-live": "polite" });
  const drawSummary = (current) => show(summary,
    h("h3", {}, current.topic || "Call"),
    h("dl", { class: "facts" },
      h("dt", {}, "State"), h("dd", { "data-field": "state" }, words(current.state, "CALL_STATE_")),
      h("dt", {}, "Start"), h("dd", {}, when(current.scheduledStart)),
      h("dt", {}, "End"), h("dd", {}, when(current.scheduledEnd)),
      h("dt", {}, "Expert"), h("dd", { "data-field": "expert" }, session.expertName(current.expertId)),
      h("dt", {}, "Customer"), h("dd", {}, `${current.customer?.name || ""} ${current.customer?.email || ""}`.trim() || "—"),
      current.cancellationReason ? [h("dt", {}, "Cancelled because"), h("dd", {}, current.cancellationReason)] : null));
  drawSummary(call);
  show(detail, summary, live, actions(call, timeline, session, (updated) => openCall(detail, session, updated.id)),
    timelineTables(timeline, session));
  if (call.state === "CALL_STATE_SCHEDULED" || call.state === "CALL_STATE_IN_PROGRESS") {
    stopWatching = api.watchCall(id, (updated) => {
      drawSummary(updated);
      live.textContent = `Live: updated ${new Date().toLocaleTimeString()}`;
    }, (error) => { live.replaceChildren(errorNote(error)); });
  }
}

function actions(call, timeline, session, reopen) {
  if (call.state !== "CALL_STATE_SCHEDULED" && call.state !== "CALL_STATE_IN_PROGRESS") return null;
  const place = h("div", {});
  const reason = h("input", { type: "text", name: "reason", maxlength: "500" });
  const complete = h("button", { type: "button" }, "Mark completed");
  complete.addEventListener("click", () => withFeedback(complete, place, async () =>
    reopen(await api.post(`/api/v1/calls/${encodeURIComponent(call.id)}/complete`, { id: call.id }))));
  const cancel = h("button", { type: "button", class: "danger" }, "Cancel call");
  cancel.addEventListener("click", () => withFeedback(cancel, place, async () =>
    reopen(await api.post(`/api/v1/calls/${encodeURIComponent(call.id)}/cancel`, { id: call.id, reason: reason.value }))));
  const controls = [field("Reason (cancel, reassign)", reason), complete, cancel];
  if (session.admin) {
    const scores = new Map((timeline.assignment?.candidates || []).map((c) => [c.expertId, c.score]));
    const others = session.experts.filter((e) => e.id !== call.expertId && e.active !== false)
      .sort((a, b) => (scores.get(b.id) ?? -Infinity) - (scores.get(a.id) ?? -Infinity));
    const target = select("expert", others.map((e) =>
      [e.id, scores.has(e.id) ? `${e.name} (score ${Number(scores.get(e.id)).toFixed(2)})` : e.name]), others[0]?.id);
    const reassign = h("button", { type: "button" }, "Reassign");
    reassign.addEventListener("click", () => withFeedback(reassign, place, async () =>
      reopen(await api.post(`/api/v1/calls/${encodeURIComponent(call.id)}/reassign`,
        { id: call.id, expertId: target.value, reason: reason.value }))));
    controls.push(field("Reassign to", target), reassign);
  }
  return h("div", { class: "actions", role: "group", "aria-label": "Actions on this call" }, controls, place);
}

function timelineTables(timeline, session) {
  const events = timeline.events || [];
  const parts = [table("Timeline", ["Time", "Event", "By", "Detail"], events.map((event) =>
    h("tr", {}, h("td", {}, when(event.time)), h("td", {}, event.kind), h("td", {}, event.actor || "—"),
      h("td", {}, (event.detail && event.detail !== "{}" ? event.detail : "") || (event.toState ? `${words(event.fromState, "CALL_STATE_")} → ${words(event.toState, "CALL_STATE_")}` : ""))))),
  ];
  if ((timeline.attendance || []).length) {
    parts.push(table("Attendance", ["Who", "Role", "Joined", "Left"], timeline.attendance.map((a) =>
      h("tr", {}, h("td", {}, a.userId), h("td", {}, words(a.role, "PARTICIPANT_ROLE_")),
        h("td", {}, when(a.joinedAt)), h("td", {}, when(a.leftAt))))));
  }
  if ((timeline.quality || []).length) {
    parts.push(table("Video quality", ["Session", "Score", "Jitter (avg s)", "Latency (avg s)"], timeline.quality.map((q) =>
      h("tr", {}, h("td", {}, q.sessionId), h("td", {}, q.qualityScore),
        h("td", {}, Number(q.jitterAverageSeconds).toFixed(3)), h("td", {}, Number(q.latencyAverageSeconds).toFixed(3))))));
  }
  if ((timeline.deliveries || []).length) {
    parts.push(table("Reminders and follow-ups", ["Kind", "To", "Due", "State", "Error"], timeline.deliveries.map((d) =>
      h("tr", {}, h("td", {}, words(d.kind, "DELIVERY_KIND_")), h("td", {}, d.recipient), h("td", {}, when(d.dueAt)),
        h("td", {}, words(d.state, "DELIVERY_STATE_")), h("td", {}, d.error || "")))));
  }
  const candidates = timeline.assignment?.candidates || [];
  if (candidates.length) {
    parts.push(table(`Assignment: ${words(timeline.assignment.reason, "ASSIGNMENT_REASON_")}`,
      ["Expert", "Score", "Why"], candidates.map((c) =>
        h("tr", {}, h("td", {}, session.expertName(c.expertId)), h("td", {}, Number(c.score).toFixed(2)),
          h("td", {}, c.explanation || "")))));
  }
  return parts;
}

export function leave() {
  stopWatching();
}
