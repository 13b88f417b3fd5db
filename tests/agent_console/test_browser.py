"""The console in Debian's Chromium driven by Playwright: each role, the whole ticket flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.queue import service as queue
from tests.agent_console.arrange import Cases
from tests.agent_console.browsing import shot, sign_in
from tests.agent_console.test_reasons import phone_report
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ["agent", "supervisor", "grid_worker", "admin"])
def test_each_role_signs_in_and_sees_its_inbox(
    page: Page, live: LiveServer, cases: Cases, role: str
) -> None:
    sign_in(page, live, role)
    expect(page.locator("header.top")).to_contain_text(role)
    nav = page.get_by_role("navigation", name="main")
    assert nav.get_by_role("link", name="统计看板").count() == (role in ("supervisor", "admin"))
    assert nav.get_by_role("link", name="用户").count() == (role == "admin")
    shot(page, f"inbox-{role}")


def test_triage_dispatch_accept_resolve_close_in_the_browser(
    page: Page, live: LiveServer, cases: Cases
) -> None:
    sign_in(page, live, "agent")
    page.get_by_role("link", name=cases.review).first.click()
    expect(page.locator("#transcript .lowconf")).to_have_text("漏水")
    page.get_by_label("类别").select_option("roads_facilities")
    page.get_by_label("网格").select_option("1101-01")
    page.get_by_role("button", name="保存并移出分拣队列").click()
    expect(page.get_by_role("status")).to_be_visible()
    page.get_by_role("button", name="派单").click()
    expect(page.locator("h1")).to_contain_text("已派单")
    shot(page, "flow-1-dispatched")

    sign_in(page, live, "grid_worker")
    page.goto(f"{live.url}/console/tickets/{cases.review}")
    page.get_by_role("button", name="接单").click()
    expect(page.locator("h1")).to_contain_text("已接单")
    page.get_by_label("说明或理由").fill("已更换路灯")
    page.get_by_role("button", name="办理完毕").click()
    expect(page.locator("h1")).to_contain_text("已办理")
    shot(page, "flow-2-resolved")

    sign_in(page, live, "supervisor")
    page.goto(f"{live.url}/console/tickets/{cases.review}")
    page.get_by_role("button", name="办结").click()
    expect(page.locator("h1")).to_contain_text("已办结")
    expect(page.locator(".timeline")).to_contain_text("已更换路灯")
    shot(page, "flow-3-closed")


def test_the_audio_element_loads_the_recording(page: Page, live: LiveServer, cases: Cases) -> None:
    sign_in(page, live, "agent")
    page.goto(f"{live.url}/console/tickets/{cases.review}")
    duration = page.eval_on_selector(
        "audio",
        """audio => new Promise((resolve, reject) => {
            audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
            audio.addEventListener('error', () => reject(new Error('audio error')));
            audio.load();
        })""",
    )
    assert duration > 0.5


def test_a_grid_worker_cannot_open_another_teams_ticket_by_url(
    page: Page, live: LiveServer, cases: Cases
) -> None:
    sign_in(page, live, "grid_worker")
    for path in (f"/console/tickets/{cases.other}", f"/console/tickets/{cases.other}/recordings/3"):
        response = page.goto(live.url + path)
        assert response is not None and response.status == 404
    shot(page, "grid-worker-404")


def test_csv_export_downloads(page: Page, live: LiveServer, cases: Cases) -> None:
    sign_in(page, live, "agent")
    page.goto(f"{live.url}/console/tickets?status=dispatched")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV").click()
    saved = Path(download.value.path())
    text = saved.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("reference,status,category")
    assert cases.mine in text and cases.other in text and cases.review not in text


def test_chinese_and_english_both_render_with_real_glyphs(
    page: Page, live: LiveServer, cases: Cases
) -> None:
    sign_in(page, live, "supervisor")
    page.goto(f"{live.url}/console/dashboard")
    expect(page.locator("h1")).to_have_text("统计看板")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '统计看板')")
    # Tofu boxes would all be the same width; real glyphs for 一 and 龍 differ in ink.
    shot(page, "dashboard-zh")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Dashboard")
    shot(page, "dashboard-en")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("h1")).to_have_text("统计看板")


def test_the_call_queue_updates_without_a_reload(
    page: Page, live: LiveServer, cases: Cases, session: Session, clock: FixedClock
) -> None:
    sign_in(page, live, "agent")
    page.goto(f"{live.url}/console/calls")
    expect(page.locator("#queue")).to_contain_text("当前无人排队")
    call = calls.get_or_create(
        session=session,
        clock=clock,
        call_sid="CA" + "7" * 32,
        from_number="+8613700000777",
        to_number="+861012345",
    )
    queue.enqueue(session=session, clock=clock, call=call)
    session.commit()
    expect(page.locator("#queue")).to_contain_text("+8613700000777", timeout=8_000)
    shot(page, "calls-live")


def test_every_form_control_has_a_label(page: Page, live: LiveServer, cases: Cases) -> None:
    sign_in(page, live, "agent")
    for path in ("/console/tickets", f"/console/tickets/{cases.review}", "/console/new"):
        page.goto(live.url + path)
        unlabeled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                .map(el => el.name)"""
        )
        assert unlabeled == [], path


def test_the_chinese_timeline_gives_reasons_in_chinese(
    page: Page,
    live: LiveServer,
    cases: Cases,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    settings: Settings,
) -> None:
    reference = phone_report(sessions, clock, settings)
    sign_in(page, live, "supervisor")
    page.goto(f"{live.url}/console/tickets/{reference}")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("来电人按键选择了“道路设施”")
    expect(timeline).to_contain_text("来电人按键输入社区 东湖社区 (1101)")
    expect(timeline).not_to_contain_text("keypad")
    timeline.scroll_into_view_if_needed()
    shot(page, "timeline-zh-reasons")
