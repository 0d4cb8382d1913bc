// Experts: load against caps and fairness (GetExpertLoad), each one's week, profile and
// availability editing (UpdateExpert, SetExpertAvailability) and deactivation. An expert sees
// their own record this way; other experts' private fields are the API's to withhold, and a
// refusal is shown where it happened.
import * as api from "/ops/api.js";
import { errorNote, field, h, select, show, table, withFeedback } from "/ops/dom.js";
import { mondayOf, renderWeek } from "/ops/week.js";

const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

export function render(root, session) {
  const panel = h("section", { class: "detail", "aria-label": "Expert detail", tabindex: "-1" });
  const rows = session.experts.map((expert) => {
    const load = h("td", { class: "load" }, session.admin || expert.id === session.self?.id ? "…" : "");
    const loadButton = h("button", { type: "button" }, "Load");
    const open = h("button", { type: "button" }, "Week", h("span", { class: "visually-hidden" }, ` of ${expert.name}`));
    open.addEventListener("click", () => openExpert(panel, expert.id, session));
    loadButton.addEventListener("click", () => withFeedback(loadButton, load, async () => showLoad(load, expert)));
    if (session.admin || expert.id === session.self?.id) showLoad(load, expert).catch((error) => show(load, errorNote(error)));
    return h("tr", { "data-expert-id": expert.id },
      h("th", { scope: "row" }, expert.name), h("td", {}, (expert.specialties || []).join(", ")),
      h("td", {}, expert.active === false ? "inactive" : "active"), load,
      h("td", { class: "row-actions" }, loadButton, open));
  });
  show(root, h("h2", {}, session.admin ? "Experts" : "Experts and my week"),
    table("Experts: upcoming calls and the busiest day and week of the next 4 weeks against their caps",
      ["Name", "Specialties", "Status", "Load (next 4 weeks)", ""], rows),
    panel);
  if (session.self) openExpert(panel, session.self.id, session);
}

async function showLoad(cell, expert) {
  const load = await api.get(`/api/v1/experts/${encodeURIComponent(expert.id)}/load`);
  const busiestDay = Math.max(0, ...(load.days || []).map((d) => d.calls));
  const busiestWeek = Math.max(0, ...(load.weeks || []).map((w) => w.calls));
  const minutes = (load.ledgerWeeks || []).reduce((sum, w) => sum + w.bookedMinutes, 0);
  const cap = (value, max) => (max > 0 ? `${value}/${max}` : `${value} (no cap)`);
  const over = (load.maxCallsPerDay > 0 && busiestDay >= load.maxCallsPerDay)
    || (load.maxCallsPerWeek > 0 && busiestWeek >= load.maxCallsPerWeek);
  show(cell, h("span", { class: over ? "at-cap" : "" },
    `${load.upcomingCalls} upcoming · day ${cap(busiestDay, load.maxCallsPerDay)} · week ${cap(busiestWeek, load.maxCallsPerWeek)} · ${minutes} booked min`));
}

async function openExpert(panel, id, session) {
  show(panel, h("p", {}, "Loading the expert…"));
  let expert;
  try {
    expert = await api.get(`/api/v1/experts/${encodeURIComponent(id)}`);
  } catch (error) {
    show(panel, errorNote(error));
    return;
  }
  const mine = session.admin || expert.id === session.self?.id;
  let monday = mondayOf(new Date());
  const week = h("div", {});
  const previous = h("button", { type: "button" }, "Previous week");
  const next = h("button", { type: "button" }, "Next week");
  const redraw = () => renderWeek(week, expert, monday, session).catch((error) => show(week, errorNote(error)));
  previous.addEventListener("click", () => { monday = mondayOf(monday, -1); redraw(); });
  next.addEventListener("click", () => { monday = mondayOf(monday, 1); redraw(); });
  show(panel,
    h("h3", {}, `${expert.name}${expert.id === session.self?.id ? " (you)" : ""}`),
    h("p", { class: "muted" }, [expert.timezone, expert.email].filter(Boolean).join(" · ")),
    h("div", { class: "week-nav" }, previous, next), week,
    mine ? availabilityForm(expert, () => openExpert(panel, id, session)) : h("p", { class: "muted" },
      "Working hours, time off and the calendar of another expert are theirs and admins' to see."),
    mine ? profileForm(expert, session, () => openExpert(panel, id, session)) : null);
  panel.focus();
  redraw();
}

function hoursRow(day = "MONDAY", start = "09:00", end = "17:00") {
  const row = h("div", { class: "hours-row", role: "group", "aria-label": "Working hours" },
    field("Day", select("day", DAYS.map((d) => [d, d.charAt(0) + d.slice(1).toLowerCase()]), day)),
    field("From", h("input", { type: "time", name: "start", value: start, required: true })),
    field("To", h("input", { type: "time", name: "end", value: end, required: true })));
  row.append(h("button", { type: "button", class: "remove", onclick: () => row.remove() }, "Remove"));
  return row;
}

function timeOffRow(start = "", end = "") {
  const row = h("div", { class: "hours-row", role: "group", "aria-label": "Time off" },
    field("Off from (UTC)", h("input", { type: "datetime-local", name: "start", value: start.slice(0, 16), required: true })),
    field("Until (UTC)", h("input", { type: "datetime-local", name: "end", value: end.slice(0, 16), required: true })));
  row.append(h("button", { type: "button", class: "remove", onclick: () => row.remove() }, "Remove"));
  return row;
}

function availabilityForm(expert, reopen) {
  const hours = h("div", { class: "rows" }, (expert.weeklyHours || []).map((w) => hoursRow(w.day, w.startTime, w.endTime)));
  const timeOff = h("div", { class: "rows" }, (expert.timeOff || []).map((t) => timeOffRow(t.start, t.end)));
  const place = h("div", {});
  const save = h("button", { type: "submit" }, "Save availability");
  const form = h("form", { class: "availability", "aria-label": "Availability" },
    h("h4", {}, `Weekly hours (${expert.timezone})`), hours,
    h("button", { type: "button", onclick: () => hours.append(hoursRow()) }, "Add hours"),
    h("h4", {}, "Time off"), timeOff,
    h("button", { type: "button", onclick: () => timeOff.append(timeOffRow()) }, "Add time off"),
    h("div", {}, save), place);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    withFeedback(save, place, async () => {
      const value = (row, name) => row.querySelector(`[name=${name}]`).value;
      const body = {
        expertId: expert.id,
        weeklyHours: [...hours.children].map((row) => ({ day: value(row, "day"), startTime: value(row, "start"), endTime: value(row, "end") })),
        dateOverrides: expert.dateOverrides || [],
        timeOff: [...timeOff.children].map((row) => ({
          start: new Date(`${value(row, "start")}Z`).toISOString(), end: new Date(`${value(row, "end")}Z`).toISOString() })),
      };
      await api.put(`/api/v1/experts/${encodeURIComponent(expert.id)}/availability`, body);
      reopen();
    });
  });
  return form;
}

function profileForm(expert, session, reopen) {
  const name = h("input", { type: "text", name: "name", value: expert.name || "", required: true, maxlength: "200" });
  const specialties = h("input", { type: "text", name: "specialties", value: (expert.specialties || []).join(", ") });
  const topics = h("input", { type: "text", name: "topics", value: (expert.topics || []).join(", ") });
  const timezone = h("input", { type: "text", name: "timezone", value: expert.timezone || "" });
  const place = h("div", {});
  const save = h("button", { type: "submit" }, "Save profile");
  const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);
  const form = h("form", { class: "profile", "aria-label": "Profile" }, h("h4", {}, "Profile"),
    field("Name", name), field("Specialties (comma separated)", specialties),
    field("Topics (comma separated)", topics), field("Timezone (IANA)", timezone), save, place);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    withFeedback(save, place, async () => {
      await api.patch(`/api/v1/experts/${encodeURIComponent(expert.id)}`, {
        name: name.value, specialties: list(specialties.value), topics: list(topics.value), timezone: timezone.value },
      { updateMask: "name,specialties,topics,timezone" });
      reopen();
    });
  });
  if (session.admin) {
    const active = expert.active !== false;
    const toggle = h("button", { type: "button", class: active ? "danger" : "" }, active ? "Deactivate expert" : "Reactivate expert");
    const togglePlace = h("div", {});
    toggle.addEventListener("click", () => withFeedback(toggle, togglePlace, async () => {
      await api.patch(`/api/v1/experts/${encodeURIComponent(expert.id)}`, { active: !active }, { updateMask: "active" });
      reopen();
    }));
    form.append(h("div", { class: "admin-actions" }, toggle, togglePlace));
  }
  return form;
}
