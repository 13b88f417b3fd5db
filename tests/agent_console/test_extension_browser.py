"""An extension in Debian's Chromium: the grid worker asks, the supervisor approves."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.agent_console.arrange import Cases
from tests.agent_console.browsing import shot, sign_in
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_a_grid_worker_asks_for_more_time_and_a_supervisor_approves(
    page: Page, live: LiveServer, cases: Cases
) -> None:
    sign_in(page, live, "grid_worker")
    page.goto(f"{live.url}/console/tickets/{cases.mine}")
    deadline = page.locator("#deadline").inner_text()
    page.get_by_label("延期天数").fill("5")
    page.get_by_label("延期理由").fill("需要等待水管配件到货")
    page.get_by_role("button", name="申请延期").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("#extensions")).to_contain_text("待督办员审批")
    expect(page.locator("#extensions")).to_contain_text("需要等待水管配件到货")
    assert page.locator("#deadline").inner_text() == deadline  # asking moves nothing
    assert page.get_by_role("button", name="同意延期", exact=True).count() == 0
    shot(page, "extension-1-asked")

    sign_in(page, live, "supervisor")
    waiting = page.locator('[data-inbox="extensions"]')
    expect(waiting).to_have_text("1")
    waiting.click()
    page.get_by_role("link", name=cases.mine).first.click()
    page.get_by_role("button", name="同意延期", exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("#extensions")).to_contain_text("已同意")
    assert page.locator("#deadline").inner_text() != deadline
    expect(page.locator(".timeline")).to_contain_text("同意延期 5 天")
    shot(page, "extension-2-approved")
    page.goto(f"{live.url}/console/")
    expect(page.locator('[data-inbox="extensions"]')).to_have_text("0")
