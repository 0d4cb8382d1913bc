"""Headless Chromium for the operator page's tests: Debian's `chromium` and `chromium-driver`
(tools/setup installs both) driven by selenium. Without them the tests skip and say why."""

import os
import pathlib
import shutil

import pytest

WIDE = (1440, 1000)
NARROW = (375, 800)
# Every wait of the page's tests; the page answers in well under a second on loopback.
WAIT_SECONDS = 10


def chromium():
    """A headless Chromium session, or a skip naming what is missing."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed: run tools/setup (Tests/Interop/requirements.txt)")
    browser = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("headless Chromium is not installed: run tools/setup "
                    "(Debian packages chromium and chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--disable-extensions", "--no-first-run", f"--window-size={WIDE[0]},{WIDE[1]}"):
        options.add_argument(argument)
    try:
        session = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    except Exception as error:  # selenium raises several kinds when the browser cannot start
        pytest.skip(f"headless Chromium did not start ({type(error).__name__}: {error})")
    session.set_page_load_timeout(WAIT_SECONDS)
    session.set_script_timeout(WAIT_SECONDS)
    return session


def screenshot(driver, name, size=WIDE):
    """With OPS_PAGE_SCREENSHOTS=<directory> (tools/screenshots), saves the whole page as
    <directory>/<name>.png at `size` (width; the height grows to fit the page)."""
    directory = os.environ.get("OPS_PAGE_SCREENSHOTS")
    if not directory:
        return
    width = size[0]
    driver.set_window_size(width, size[1])
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(width, min(max(size[1], height + 140), 4000))
    path = pathlib.Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path / f"{name}.png"))
    driver.set_window_size(*WIDE)
