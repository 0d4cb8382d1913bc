// Building the page: elements from data (never HTML from strings), and the ways every view
// shows times, states and errors.

/** `h("button", {type: "button", onclick}, "Retry")`: attributes, listeners (on…), children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element; attributes are set as given (no listeners). */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "value") element.value = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces what `element` shows. */
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** The error of an action, in words, as a live alert next to what caused it. */
export function errorNote(error) {
  const words = error && error.message ? error.message : String(error);
  const prefix = error && error.status === 403 ? "Not allowed: " : error && error.status === 401 ? "Signed out: " : "Error: ";
  return h("p", { class: "error", role: "alert" }, prefix + words);
}

/** Runs `action` for a button: disables it meanwhile and shows its error in `place`. */
export async function withFeedback(button, place, action) {
  button.disabled = true;
  show(place);
  try {
    await action();
  } catch (error) {
    show(place, errorNote(error));
  } finally {
    button.disabled = false;
  }
}

let nextID = 0;
/** A labelled form control: the label names it for screen readers and keyboard users. */
export function field(label, control) {
  nextID += 1;
  control.id = control.id || `field-${nextID}`;
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control);
}

export function select(name, options, selected) {
  return h("select", { name },
    options.map(([value, label]) => h("option", { value, selected: value === selected }, label)));
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

export function when(timestamp) {
  return timestamp ? dateTime.format(new Date(timestamp)) : "—";
}

/** `CALL_STATE_NO_SHOW` → `no show`. */
export function words(enumName, prefix) {
  if (!enumName) return "—";
  const bare = prefix && enumName.startsWith(prefix) ? enumName.slice(prefix.length) : enumName;
  return bare.toLowerCase().replaceAll("_", " ");
}

/** `YYYY-MM-DD` of a date input, as the UTC instant that starts (or, `endOfDay`, ends) it. */
export function dayStart(value, endOfDay = false) {
  if (!value) return "";
  const day = new Date(`${value}T00:00:00Z`);
  if (endOfDay) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

export function table(caption, headings, rows) {
  return h("div", { class: "table-wrap" },
    h("table", {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
      h("tbody", {}, rows)));
}
