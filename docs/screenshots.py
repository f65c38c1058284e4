"""Retake the README screenshots from `make demo` data with Debian's headless Chromium.

make demo            # in one terminal (serves http://127.0.0.1:8000)
.venv/bin/python docs/screenshots.py [http://127.0.0.1:8000]
"""

import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]


def login(page) -> None:
    page.goto(BASE + "/akun/masuk/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "sentra-demo")
    page.click("form:has(input[name=username]) button[type=submit]")
    page.wait_for_load_state()


def main() -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desktop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
        page = desktop.new_page()
        login(page)
        page.goto(BASE + "/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path="docs/screenshot-home.png")
        page.goto(BASE + "/atlas/pertumbuhan/")
        page.wait_for_load_state("networkidle")
        page.locator("[data-testid=chart-growth]").screenshot(path="docs/screenshot-growth.png")
        page.goto(BASE + "/atlas/wilayah/51.71.01/")
        page.wait_for_load_state("networkidle")
        page.screenshot(
            path="docs/screenshot-profile.png", clip={"x": 0, "y": 0, "width": 1366, "height": 760}
        )
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
        page = phone.new_page()
        login(page)
        page.goto(BASE + "/ikm/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path="docs/screenshot-phone-list.png")
        browser.close()


if __name__ == "__main__":
    main()
