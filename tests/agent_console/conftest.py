"""Console fixtures: users of every role and tickets in known states."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.triage.policy import policy_from_settings
from tests.agent_console.arrange import Cases, add_cases, add_people
from tests.agent_console.browsing import CHROMIUM, FLAGS


@pytest.fixture
def cases(
    sessions: sessionmaker[Session], clock: FixedClock, settings: Settings, seeded: None
) -> Cases:
    """Users of every role and three tickets (review, 1101-01, 1201-01), committed."""
    audio = Path(settings.data_dir) / "recordings"
    audio.mkdir(parents=True, exist_ok=True)
    with sessions.begin() as session:
        add_people(session, clock)
        found = add_cases(session, clock, policy_from_settings(settings), audio)
    return found


@pytest.fixture
def console(app: FastAPI) -> Iterator[TestClient]:
    """A client on https, as the console's Secure cookies require behind the public https URL."""
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (scripts/test installs it with fonts-noto-cjk)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test as root or apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context at 1366×768."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
    )
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()
