"""The operator page at /ops/, driven in headless Chromium against the real binary and
PostgreSQL: an admin finds a seeded call, opens its timeline, reassigns it and sees a change
made elsewhere arrive live, retries a dead job, draws the analytics charts, cancels a call and
deactivates an expert; an expert changes their own availability and is refused, in words,
another expert's private data; a session cookie alone signs in; no view scrolls sideways at
375 px. With OPS_PAGE_SCREENSHOTS set (tools/screenshots) the views are saved as PNGs."""

import datetime
import os
import uuid

import pytest

from auth import ADMIN_TOKEN, DEV_KEY
from browser import NARROW, WAIT_SECONDS, WIDE, chromium, screenshot
from databases import psql
from test_stream_video import rest

RUN = uuid.uuid4().hex[:8]
EXPERT_A_USER = f"user_ops_page_a_{RUN}"
EXPERT_A_TOKEN = DEV_KEY.token(EXPERT_A_USER, "expert", f"a.{RUN}@ops-page.example")
EVERY_DAY = [{"day": day, "startTime": "06:00", "endTime": "22:00"}
             for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")]


def create_expert(server, name, clerk_user_id):
    status, expert = rest(server, "POST", "/api/v1/experts", ADMIN_TOKEN, {"expert": {
        "name": name, "email": f"{clerk_user_id}@ops-page.example", "clerkUserId": clerk_user_id,
        "specialties": [f"opspage{RUN}"], "timezone": "UTC", "weeklyHours": EVERY_DAY}})
    assert status == 200, expert
    return expert


def book(server, expert, start, topic):
    status, call = rest(server, "POST", "/api/v1/calls", ADMIN_TOKEN, {
        "expertId": expert["id"], "topic": topic,
        "customer": {"userId": f"user_ops_page_customer_{RUN}", "email": "customer@ops-page.example", "name": "Cleo"},
        "scheduledStart": start.isoformat().replace("+00:00", "Z"),
        "scheduledEnd": (start + datetime.timedelta(minutes=30)).isoformat().replace("+00:00", "Z")})
    assert status == 200, call
    return call


@pytest.fixture(scope="module")
def world(server):
    """Two experts (A signs in as an expert), a call of A's two days ahead, a cancelled and a
    completed call of B's, a refused webhook delivery and a dead job."""
    expert_a = create_expert(server, f"Dr. Ada Page {RUN}", EXPERT_A_USER)
    expert_b = create_expert(server, f"Dr. Ben Page {RUN}", f"user_ops_page_b_{RUN}")
    start = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    call = book(server, expert_a, start, f"Sleep review {RUN}")
    for days, hour, action in ((3, 11, "cancel"), (1, 9, "complete")):
        other = book(server, expert_b, start + datetime.timedelta(days=days - 2, hours=hour - 10), f"Diet check {RUN}")
        status, answer = rest(server, "POST", f"/api/v1/calls/{other['id']}/{action}", ADMIN_TOKEN,
                              {"id": other["id"], "reason": "customer is ill"} if action == "cancel" else {"id": other["id"]})
        assert status == 200, answer
    # A refused webhook delivery (bad signature) for the operations view to highlight.
    status, _ = rest(server, "POST", "/webhooks/calendly", body=f'{{"event": "invitee.created", "nonce": "{RUN}"}}'.encode(),
                     headers={"Calendly-Webhook-Signature": "t=1,v1=00"})
    assert status == 401
    job_id = psql(os.environ["INTEROP_DATABASE_URL"],
                  "INSERT INTO calls.jobs (kind, state, attempts, last_error, finished_at) "
                  f"VALUES ('interop.ops-page.{RUN}', 'dead', 8, 'provider answered 500', now()) RETURNING id"
                  ).splitlines()[0]
    return {"a": expert_a, "b": expert_b, "call": call, "job_id": job_id}


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def wait(driver):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, WAIT_SECONDS)


def by_css(selector):
    from selenium.webdriver.common.by import By
    return By.CSS_SELECTOR, selector


def visible(driver, selector):
    from selenium.webdriver.support import expected_conditions as until
    return wait(driver).until(until.visibility_of_element_located(by_css(selector)))


def text_in(driver, selector, text):
    from selenium.webdriver.support import expected_conditions as until
    wait(driver).until(until.text_to_be_present_in_element(by_css(selector), text))


def sign_in(driver, server, token):
    """Opens /ops/ in a fresh tab state and pastes `token` into the sign-in box, by keyboard."""
    from selenium.webdriver.common.keys import Keys
    driver.get(server.base_url + "/ops/")
    driver.execute_script("sessionStorage.clear()")
    driver.get(server.base_url + "/ops/")
    box = visible(driver, "#token")
    box.send_keys(token)
    box.send_keys(Keys.TAB, Keys.ENTER)
    visible(driver, "#nav")


def open_view(driver, name):
    driver.find_element(*by_css(f"#nav button[data-view={name}]")).click()
    wait(driver).until(lambda d: d.find_element(*by_css("#view")).get_attribute("data-view") == name)


def choose(driver, select_element, value):
    from selenium.webdriver.support.ui import Select
    Select(select_element).select_by_value(value)


def call_row(driver, expert_id, call_id):
    """A call's row once the list is filtered to its expert (the session's database holds
    other tests' calls too)."""
    open_view(driver, "calls")
    choose(driver, driver.find_element(*by_css("select[name=expert]")), expert_id)
    driver.find_element(*by_css(".filters button[type=submit]")).click()
    return visible(driver, f".list[data-expert='{expert_id}'] tr[data-call-id='{call_id}']")


def test_the_page_asks_for_a_session_and_says_why_a_bad_token_is_refused(server, browser):
    browser.get(server.base_url + "/ops/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(server.base_url + "/ops/")
    box = visible(browser, "#token")
    assert browser.find_element(*by_css("label[for=token]")).text == "Session token"
    box.send_keys("not-a-token")
    browser.find_element(*by_css("#sign-in-form button[type=submit]")).click()
    text_in(browser, "#sign-in-error", "Signed out:")
    assert browser.find_element(*by_css("#nav")).is_displayed() is False


def test_an_admin_opens_a_seeded_calls_timeline_and_reassigns_it(server, browser, world):
    sign_in(browser, server, ADMIN_TOKEN)
    row = call_row(browser, world["a"]["id"], world["call"]["id"])
    assert f"Sleep review {RUN}" in row.text and "scheduled" in row.text
    row.find_element(*by_css("button")).click()
    text_in(browser, ".detail caption", "Timeline")
    assert "created" in browser.find_element(*by_css(".detail table")).text
    screenshot(browser, "ops-calls")

    reassign_to = browser.find_element(*by_css(".actions select[name=expert]"))
    choose(browser, reassign_to, world["b"]["id"])
    browser.find_element(*by_css(".actions input[name=reason]")).send_keys("A is away")
    [button] = [b for b in browser.find_elements(*by_css(".actions button")) if b.text == "Reassign"]
    button.click()
    text_in(browser, ".detail dd[data-field=expert]", world["b"]["name"])
    status, call = rest(server, "GET", f"/api/v1/calls/{world['call']['id']}", ADMIN_TOKEN)
    assert status == 200 and call["expertId"] == world["b"]["id"], call
    screenshot(browser, "ops-calls-375", NARROW)

    # A change made elsewhere reaches the open call through WatchCall, without a click.
    status, answer = rest(server, "POST", f"/api/v1/calls/{world['call']['id']}/reassign", ADMIN_TOKEN,
                          {"expertId": world["a"]["id"], "reason": "A is back"})
    assert status == 200, answer
    text_in(browser, ".detail dd[data-field=expert]", world["a"]["name"])


def test_an_admin_retries_a_dead_job_listed_first(server, browser, world):
    sign_in(browser, server, ADMIN_TOKEN)
    open_view(browser, "operations")
    row = visible(browser, f"tr[data-job-id='{world['job_id']}']")
    assert "dead" in row.get_attribute("class") and "provider answered 500" in row.text
    first = browser.find_element(*by_css("#view table tbody tr"))
    assert "dead" in first.get_attribute("class"), "dead jobs come first"
    text_in(browser, ".health", "Database: up")
    refused = browser.find_elements(*by_css("tr.refused"))
    assert refused and "rejected" in refused[0].text
    screenshot(browser, "ops-operations")
    row.find_element(*by_css("input[name=reason]")).send_keys("provider fixed")
    row.find_element(*by_css("button")).click()
    text_in(browser, f"tr[data-job-id='{world['job_id']}']", "Retried")
    status, answer = rest(server, "GET", f"/api/v1/ops/jobs?kind=interop.ops-page.{RUN}", ADMIN_TOKEN)
    assert status == 200 and answer["jobs"][0]["history"][0]["kind"] == "retried", answer


def test_an_admin_draws_the_analytics_charts(server, browser, world):
    sign_in(browser, server, ADMIN_TOKEN)
    open_view(browser, "analytics")
    visible(browser, ".charts figure svg rect.bar")
    titles = [element.text for element in browser.find_elements(*by_css(".charts figure h3"))]
    assert titles[:3] == ["Calls per day", "Outcomes", "Duration of held calls (minutes)"], titles
    # The seeded call is in the default period: the day chart has a bar of at least 1.
    bars = browser.find_elements(*by_css(".charts figure:first-of-type rect.bar"))
    assert any(float(bar.get_attribute("height")) > 0 for bar in bars)
    screenshot(browser, "ops-analytics")
    screenshot(browser, "ops-analytics-375", NARROW)


def test_an_admin_sees_experts_load_and_week(server, browser, world):
    sign_in(browser, server, ADMIN_TOKEN)
    open_view(browser, "experts")
    row = visible(browser, f"tr[data-expert-id='{world['a']['id']}']")
    text_in(browser, f"tr[data-expert-id='{world['a']['id']}'] td.load", "upcoming")
    [week] = [b for b in row.find_elements(*by_css("button")) if b.text.startswith("Week")]
    week.click()
    visible(browser, ".week .entry.hours")
    screenshot(browser, "ops-experts")


def test_an_expert_changes_their_own_availability(server, browser, world):
    sign_in(browser, server, EXPERT_A_TOKEN)
    text_in(browser, "#who", world["a"]["name"])
    # Their own week opens, with their hours; admin views are not offered.
    visible(browser, ".week .entry.hours")
    assert not browser.find_element(*by_css("#nav button[data-view=operations]")).is_displayed()
    screenshot(browser, "ops-expert-week")
    first_end = browser.find_element(*by_css("form.availability .hours-row input[name=end]"))
    browser.execute_script("arguments[0].value = '20:30'", first_end)
    browser.find_element(*by_css("form.availability button[type=submit]")).click()
    wait(browser).until(lambda _: rest(server, "GET", f"/api/v1/experts/{world['a']['id']}", ADMIN_TOKEN)[1]
                        ["weeklyHours"][0]["endTime"] == "20:30")


def test_an_expert_is_refused_another_experts_private_data_in_words(server, browser, world):
    sign_in(browser, server, EXPERT_A_TOKEN)
    open_view(browser, "experts")
    other = f"tr[data-expert-id='{world['b']['id']}']"
    [load] = [b for b in browser.find_element(*by_css(other)).find_elements(*by_css("button")) if b.text == "Load"]
    load.click()
    text_in(browser, f"{other} td.load", "Not allowed:")
    [week] = [b for b in browser.find_element(*by_css(other)).find_elements(*by_css("button")) if b.text.startswith("Week")]
    week.click()
    text_in(browser, ".detail h3", world["b"]["name"])
    text_in(browser, ".detail", "theirs and admins' to see")
    assert world["b"]["email"] not in browser.page_source


def test_a_session_cookie_signs_in_without_the_box_and_its_writes_pass_the_cookie_rule(server, browser):
    job_id = psql(os.environ["INTEROP_DATABASE_URL"],
                  "INSERT INTO calls.jobs (kind, state, attempts, last_error, finished_at) "
                  f"VALUES ('interop.ops-page-cookie.{RUN}', 'dead', 8, 'timeout', now()) RETURNING id").splitlines()[0]
    # Set on another page of the origin, so that opening /ops/ loads it afresh.
    browser.get(server.base_url + "/api/health")
    browser.execute_script("sessionStorage.clear()")
    browser.add_cookie({"name": "__session", "value": ADMIN_TOKEN, "path": "/", "httpOnly": True})
    try:
        browser.get(server.base_url + "/ops/#operations")
        text_in(browser, "#who", "Signed in as an admin")
        assert not browser.find_element(*by_css("#sign-in")).is_displayed()
        row = visible(browser, f"tr[data-job-id='{job_id}']")
        row.find_element(*by_css("button")).click()
        text_in(browser, f"tr[data-job-id='{job_id}']", "Retried")
    finally:
        browser.delete_cookie("__session")


def test_no_view_scrolls_sideways_at_375_px(server, browser, world):
    """Phones: wide tables scroll inside their own box; the page itself never does."""
    def calls():
        call_row(browser, world["a"]["id"], world["call"]["id"]).find_element(*by_css("button")).click()
        text_in(browser, ".detail caption", "Timeline")

    def experts():
        open_view(browser, "experts")
        visible(browser, f"tr[data-expert-id='{world['a']['id']}'] button:nth-child(2)").click()
        visible(browser, ".week .entry.hours")

    def listing(view):
        return lambda: (open_view(browser, view), visible(browser, "#view table, #view figure"))

    sign_in(browser, server, ADMIN_TOKEN)
    browser.set_window_size(*NARROW)
    try:
        for view, show in (("calls", calls), ("experts", experts), ("analytics", listing("analytics")),
                           ("operations", listing("operations"))):
            show()
            width, scroll = browser.execute_script(
                "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]")
            assert scroll <= width, f"{view} is {scroll} px wide in a {width} px window"
    finally:
        browser.set_window_size(*WIDE)


def test_an_admin_cancels_a_call_with_its_reason_and_deactivates_its_expert(server, browser, world):
    expert = create_expert(server, f"Dr. Cy Page {RUN}", f"user_ops_page_c_{RUN}")
    start = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=4)).replace(
        hour=12, minute=0, second=0, microsecond=0)
    call = book(server, expert, start, f"Move more {RUN}")
    sign_in(browser, server, ADMIN_TOKEN)
    call_row(browser, expert["id"], call["id"]).find_element(*by_css("button")).click()
    visible(browser, ".actions input[name=reason]").send_keys("expert is ill")
    [cancel] = [b for b in browser.find_elements(*by_css(".actions button")) if b.text == "Cancel call"]
    cancel.click()
    text_in(browser, ".detail dd[data-field=state]", "cancelled")
    status, answer = rest(server, "GET", f"/api/v1/calls/{call['id']}", ADMIN_TOKEN)
    assert (answer["state"], answer["cancellationReason"]) == ("CALL_STATE_CANCELLED", "expert is ill"), answer

    open_view(browser, "experts")
    [week] = [b for b in visible(browser, f"tr[data-expert-id='{expert['id']}']").find_elements(*by_css("button"))
              if b.text.startswith("Week")]
    week.click()
    text_in(browser, ".detail h3", expert["name"])
    visible(browser, ".admin-actions button").click()
    wait(browser).until(lambda _: rest(server, "GET", f"/api/v1/experts/{expert['id']}", ADMIN_TOKEN)[1]["active"] is False)
    text_in(browser, ".admin-actions button", "Reactivate expert")
