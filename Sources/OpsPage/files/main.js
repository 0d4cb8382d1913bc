// Signs in (the `__session` cookie, else a pasted token), finds out who the caller is from
// what the API lets them do, and switches between the views.
import * as api from "/ops/api.js";
import * as analytics from "/ops/analytics.js";
import * as calls from "/ops/calls.js";
import { errorNote, show } from "/ops/dom.js";
import * as experts from "/ops/experts.js";
import * as operations from "/ops/operations.js";

const VIEWS = { calls, experts, analytics, operations };

const signIn = document.getElementById("sign-in");
const signInForm = document.getElementById("sign-in-form");
const signInError = document.getElementById("sign-in-error");
const nav = document.getElementById("nav");
const who = document.getElementById("who");
const signOut = document.getElementById("sign-out");
const view = document.getElementById("view");

let session = null;

/**
 * Who is signed in, learned from the API itself: admins may list jobs; an expert's own record
 * is the one whose private fields (clerkUserId) the listing shows them.
 */
async function discover() {
  const list = await api.all("/api/v1/experts", "experts", {}, 5);
  let admin = true;
  try {
    await api.get("/api/v1/ops/jobs", { pageSize: 1 });
  } catch (error) {
    if (!error.isPermission) throw error;
    admin = false;
  }
  const self = admin ? null : list.find((expert) => expert.clerkUserId) || null;
  const names = new Map(list.map((expert) => [expert.id, expert.name]));
  return { admin, self, experts: list, expertName: (id) => (id ? names.get(id) || `expert ${id}` : "—") };
}

async function start() {
  show(signInError);
  try {
    session = await discover();
  } catch (error) {
    session = null;
    signIn.hidden = false;
    nav.hidden = true;
    signOut.hidden = !api.storedToken();
    view.replaceChildren();
    if (api.storedToken() || !error.isUnauthenticated) show(signInError, errorNote(error));
    document.getElementById("token").focus();
    return;
  }
  signIn.hidden = true;
  nav.hidden = false;
  signOut.hidden = false;
  for (const button of nav.querySelectorAll("[data-admin]")) button.hidden = !session.admin;
  who.textContent = session.admin ? "Signed in as an admin"
    : session.self ? `Signed in as ${session.self.name}` : "Signed in";
  const requested = location.hash.slice(1);
  openView(VIEWS[requested] && (session.admin || !nav.querySelector(`[data-view=${requested}][data-admin]`)) ? requested
    : session.self ? "experts" : "calls");
}

function openView(name) {
  calls.leave();
  for (const button of nav.querySelectorAll("button")) {
    button.setAttribute("aria-current", button.dataset.view === name ? "page" : "false");
  }
  history.replaceState(null, "", `#${name}`);
  view.dataset.view = name;
  VIEWS[name].render(view, session);
}

nav.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-view]");
  if (button && session) openView(button.dataset.view);
});

signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = document.getElementById("token").value.trim().replace(/^Bearer\s+/i, "");
  api.storeToken(token);
  start();
});

signOut.addEventListener("click", () => {
  api.storeToken("");
  calls.leave();
  session = null;
  who.textContent = "";
  document.getElementById("token").value = "";
  start();
});

start();
