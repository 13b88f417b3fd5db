"""Debian's Chromium through Playwright: the launch flags, screenshots, signing in."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

from tests.agent_console.arrange import PASSWORD
from tests.conftest import LiveServer

CHROMIUM = os.environ.get("HOTLINE_TEST_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def shot(page: Page, name: str) -> None:
    """Keep a screenshot as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, live: LiveServer, username: str) -> None:
    """Use the sign-in form with the keyboard, as a person would."""
    page.context.clear_cookies()
    page.goto(f"{live.url}/console/login")
    page.get_by_label("用户名").fill(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live.url}/console/")
