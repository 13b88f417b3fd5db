"""The console on a phone (390×844, touch): grid work in the field, supervision away from a desk."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from tests.agent_console.arrange import Cases
from tests.agent_console.browsing import shot, sign_in
from tests.agent_console.test_reasons import phone_report
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844
NARROWEST = 360  # small Android phones; 414 is the widest phone this layout is checked for
TAP = 44  # px: the smallest comfortable target for a finger


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A phone-sized touch context in Chinese."""
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def photo(path: Path, colour: tuple[int, int, int]) -> Path:
    """A small JPEG such as a phone's camera gives."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, format="JPEG", quality=80)
    path.write_bytes(out.getvalue())
    return path


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    width: int = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )
    return width


def small_targets(page: Page) -> list[str]:
    """Visible controls shorter than a fingertip."""
    found: list[str] = page.evaluate(
        """(tap) => [...document.querySelectorAll(
              'button, select, a.button, header a, .pager a, input:not([type=hidden])')]
            .filter(e => e.offsetParent !== null)
            .filter(e => {
              const r = e.getBoundingClientRect();
              const box = e.type === 'checkbox' || e.type === 'radio';
              return box ? r.height < 20 : r.height < tap;
            })
            .map(e => e.outerHTML.slice(0, 80))""",
        TAP,
    )
    return found


def test_a_grid_worker_resolves_with_photos_and_a_supervisor_sees_them(
    phone: Page, live: LiveServer, cases: Cases, tmp_path: Path
) -> None:
    sign_in(phone, live, "grid_worker")
    phone.get_by_role("link", name=cases.mine).first.tap()
    expect(phone.locator("h1")).to_contain_text(cases.mine)
    phone.get_by_role("button", name="接单").tap()
    expect(phone.locator("h1")).to_contain_text("已接单")
    phone.get_by_label("说明或理由").fill("井盖已更换")
    phone.get_by_label("处置前").set_input_files(str(photo(tmp_path / "before.jpg", (90, 60, 30))))
    phone.get_by_label("处置后").set_input_files(str(photo(tmp_path / "after.jpg", (30, 140, 60))))
    assert overflow(phone) <= 0
    shot(phone, "phone-1-grid-worker-resolving")
    phone.get_by_role("button", name="办理完毕").tap()
    expect(phone.locator("h1")).to_contain_text("已办理")
    expect(phone.locator(".photos img")).to_have_count(2)
    assert overflow(phone) <= 0
    shot(phone, "phone-2-grid-worker-resolved")

    sign_in(phone, live, "supervisor")
    phone.goto(f"{live.url}/console/tickets/{cases.mine}")
    images = phone.locator(".photos img")
    expect(images).to_have_count(2)
    images.last.scroll_into_view_if_needed()
    # The images load after the page is shown: wait until both finished, then check them.
    phone.wait_for_function(
        "() => [...document.querySelectorAll('.photos img')].every(i => i.complete)"
    )
    loaded = images.evaluate_all("(imgs) => imgs.map(i => i.complete && i.naturalWidth)")
    assert loaded == [640, 640]
    expect(phone.locator("#h-photos")).to_have_text("现场照片")
    assert overflow(phone) <= 0
    shot(phone, "phone-3-supervisor-sees-photos")


PAGES = {
    "agent": [
        "/console/",
        "/console/tickets",
        "/console/tickets/{review}",
        "/console/tickets/{routed}",
        "/console/new",
        "/console/calls",
        "/console/callers/%2B8613700000001",
    ],
    "supervisor": [
        "/console/",
        "/console/tickets",
        "/console/tickets/{mine}",
        "/console/tickets/{routed}",
        "/console/dashboard",
        "/console/calls",
    ],
    "grid_worker": ["/console/", "/console/tickets", "/console/tickets/{mine}"],
    "admin": [
        "/console/",
        "/console/tickets",
        "/console/tickets/{other}",
        "/console/dashboard",
        "/console/admin/users",
        "/console/admin/registry?unit=1101-01",
        "/console/admin/audit",
    ],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_page_scrolls_sideways_and_every_control_is_big_enough(
    phone: Page,
    live: LiveServer,
    cases: Cases,
    role: str,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    settings: Settings,
) -> None:
    routed = phone_report(sessions, clock, settings)
    ids = {"review": cases.review, "mine": cases.mine, "other": cases.other, "routed": routed}
    if role == "agent":
        phone.goto(f"{live.url}/console/login")
        assert overflow(phone) <= 0 and small_targets(phone) == []
    sign_in(phone, live, role)
    wide, tiny = {}, {}
    for width in (WIDTH, NARROWEST, 414):
        phone.set_viewport_size({"width": width, "height": HEIGHT})
        for path in PAGES[role]:
            url = path.format(**ids)
            answer = phone.goto(f"{live.url}{url}")
            assert answer is not None and answer.status == 200, url
            if overflow(phone) > 0:
                wide[f"{width}px {url}"] = overflow(phone)
            if small_targets(phone):
                tiny[f"{width}px {url}"] = small_targets(phone)
            if width == WIDTH:
                name = url.strip("/").replace("/", "-").replace("?", "-").replace("%2B", "")
                shot(phone, f"phone-{role}-{name}")
    assert wide == {}
    assert tiny == {}
