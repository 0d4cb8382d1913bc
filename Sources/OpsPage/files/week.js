// One expert's week in their own timezone: weekly hours (or that date's override), time off,
// calendar busy times, booked calls and the slots still bookable (ListExperts leaves out held
// and booked ones, so a hold shows as a gap in them).
import * as api from "/ops/api.js";
import { errorNote, h, show } from "/ops/dom.js";

const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

/** Monday 00:00 UTC of the week holding `date`, moved by `weeks`. */
export function mondayOf(date, weeks = 0) {
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7) + weeks * 7);
  return monday;
}

function localParts(timestamp, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(timestamp));
  const part = (type) => parts.find((p) => p.type === type)?.value;
  return { date: `${part("year")}-${part("month")}-${part("day")}`, time: `${part("hour")}:${part("minute")}` };
}

function range(start, end, zone) {
  const a = localParts(start, zone);
  const b = localParts(end, zone);
  return { date: a.date, at: a.time, text: a.date === b.date ? `${a.time}–${b.time}` : `${a.time}–${b.date} ${b.time}` };
}

/** Overlapping or touching slots of one local day as one stretch: slots start every few minutes. */
function merged(slots, zone) {
  const sorted = slots.map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) }))
    .sort((a, b) => a.start - b.start);
  const stretches = [];
  for (const slot of sorted) {
    const last = stretches[stretches.length - 1];
    if (last && slot.start <= last.end && localParts(slot.start, zone).date === localParts(last.start, zone).date) {
      if (slot.end > last.end) last.end = slot.end;
    } else {
      stretches.push({ ...slot });
    }
  }
  return stretches.map((stretch) => ({ start: stretch.start.toISOString(), end: stretch.end.toISOString() }));
}

/** Draws the week starting `monday` into `root`. */
export async function renderWeek(root, expert, monday, session) {
  const zone = expert.timezone || "UTC";
  const from = new Date(monday);
  const to = new Date(monday);
  to.setUTCDate(to.getUTCDate() + 7);
  const dates = DAYS.map((_, index) => {
    const day = new Date(monday);
    day.setUTCDate(day.getUTCDate() + index);
    return day.toISOString().slice(0, 10);
  });
  show(root, h("p", {}, "Loading the week…"));
  const errors = [];
  const [calls, listed] = await Promise.all([
    api.all("/api/v1/calls", "calls", { expertId: session.admin ? expert.id : "", from: from.toISOString(),
      to: to.toISOString() }, 2).catch((error) => { errors.push(error); return []; }),
    api.get("/api/v1/experts", { availableFrom: from.toISOString(), availableTo: to.toISOString(), pageSize: 200 })
      .catch((error) => { errors.push(error); return { experts: [] }; }),
  ]);
  const slots = (listed.experts || []).find((e) => e.id === expert.id)?.availableSlots || [];
  const entries = new Map(dates.map((date) => [date, []]));
  // Each day's entries in order of their local start ("HH:MM" sorts as text).
  const add = (date, kind, text, at) => entries.get(date)?.push({ at, element: h("li", { class: `entry ${kind}` },
    h("span", { class: "kind" }, kind.replaceAll("-", " ")), ` ${text}`) });

  dates.forEach((date, index) => {
    const override = (expert.dateOverrides || []).find((o) => o.date === date);
    if (override) {
      if ((override.hours || []).length === 0) add(date, "override", "not working (override)", "");
      for (const hours of override.hours || []) add(date, "override", `${hours.startTime}–${hours.endTime}`, hours.startTime);
    } else {
      for (const hours of (expert.weeklyHours || []).filter((w) => w.day === DAYS[index])) {
        add(date, "hours", `${hours.startTime}–${hours.endTime}`, hours.startTime);
      }
    }
  });
  for (const slot of expert.timeOff || []) {
    const r = range(slot.start, slot.end, zone);
    add(r.date, "time-off", r.text, r.at);
  }
  for (const slot of expert.calendarBusy || []) {
    const r = range(slot.start, slot.end, zone);
    add(r.date, "calendar-busy", r.text, r.at);
  }
  for (const call of calls.filter((c) => c.state !== "CALL_STATE_CANCELLED")) {
    const r = range(call.scheduledStart, call.scheduledEnd, zone);
    add(r.date, "booked", `${r.text} ${call.topic || ""}`.trim(), r.at);
  }
  for (const slot of merged(slots, zone)) {
    const r = range(slot.start, slot.end, zone);
    add(r.date, "bookable", r.text, r.at);
  }
  show(root,
    errors.map(errorNote),
    h("ol", { class: "week", "aria-label": `Week of ${dates[0]} in ${zone}` }, dates.map((date, index) =>
      h("li", { class: "day" }, h("h4", {}, `${DAYS[index].slice(0, 3)} ${date.slice(5)}`),
        entries.get(date).length
          ? h("ul", {}, entries.get(date).sort((x, y) => x.at.localeCompare(y.at)).map((entry) => entry.element))
          : h("p", { class: "muted" }, "nothing")))));
}
