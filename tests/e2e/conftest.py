"""Browser tests: Playwright's Python API driving Debian's Chromium (/usr/bin/chromium).

Never downloads a browser. If Chromium is missing the tests fail with a clear message
(`make test` installs it); they are not skipped.
"""

import os
import shutil

import pytest

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by the
# test itself (fixtures, asserts) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SENTRA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Transactional tests flush the tables after each test, reference data and seeded
    configuration included; put them back when a previous test left them empty."""
    from io import StringIO

    from django.core.management import call_command

    from sentra.areas.models import Area
    from sentra.lib.seeds import reseed

    if not Area.objects.exists():
        call_command("load_reference", stdout=StringIO())
    reseed()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium tidak ditemukan di {CHROMIUM}: jalankan `make system-deps`.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Every browser test also proves the pages work under the Content-Security-Policy:
    # Chromium reports each refused inline script, style or handler on the console.
    refused: list[str] = []
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert not refused, "CSP refused: " + " | ".join(refused)


@pytest.fixture
def login(page):
    """Log in through the real form, as a person would."""

    def _login(username: str, password: str = "sandi-uji-123"):
        page.goto("/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/akun/masuk/" not in url)

    return _login
