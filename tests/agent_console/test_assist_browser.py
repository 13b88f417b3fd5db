"""Assisting units in Debian's Chromium: a supervisor asks, the assisting grid worker works
its own task, and only then the lead resolves."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.agent_console.arrange import Cases
from tests.agent_console.browsing import shot, sign_in
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_an_assisting_grid_worker_reports_before_the_lead_resolves(
    page: Page, live: LiveServer, cases: Cases
) -> None:
    ticket = f"{live.url}/console/tickets/{cases.mine}"
    sign_in(page, live, "supervisor")
    page.goto(ticket)
    page.get_by_role("combobox", name="协办单位").fill("1201-01")
    page.get_by_label("协办事项").fill("请协助关闭西关社区总阀")
    page.get_by_role("button", name="请求协办").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("#lead-unit")).to_contain_text("1101-01")
    expect(page.locator('#assists [data-unit="1201-01"]')).to_contain_text("待协办单位接收")

    sign_in(page, live, "grid_worker")
    page.goto(ticket)
    page.get_by_role("button", name="接单", exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    page.get_by_role("button", name="办理完毕", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("1201-01")
    expect(page.locator(".badge").first).to_have_text("已接单")

    sign_in(page, live, "other_worker")
    waiting = page.locator('[data-inbox="assisting"]')
    expect(waiting).to_have_text("1")
    waiting.click()
    page.get_by_role("link", name=cases.mine).first.click()
    expect(page.locator("#assists .notice")).to_contain_text("1101-01")
    assert page.get_by_role("button", name="办理完毕", exact=True).count() == 0
    assert page.get_by_role("button", name="申请延期").count() == 0
    assert "****" in page.locator("#caller").inner_text()
    page.get_by_role("button", name="接收协办任务").click()
    expect(page.get_by_role("status")).to_be_visible()
    page.get_by_label("本单位办理情况").fill("总阀已关闭，已通知物业")
    shot(page, "assist-1-accepted")
    page.get_by_role("button", name="反馈协办结果").click()
    expect(page.locator('#assists [data-unit="1201-01"]')).to_contain_text("已反馈")
    expect(page.locator(".timeline")).to_contain_text("已反馈协办结果")
    page.goto(f"{live.url}/console/")
    expect(page.locator('[data-inbox="assisting"]')).to_have_text("0")

    sign_in(page, live, "grid_worker")
    page.goto(ticket)
    expect(page.locator("#assists")).to_contain_text("总阀已关闭，已通知物业")
    page.get_by_role("button", name="办理完毕", exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("已办理")
    shot(page, "assist-2-resolved")
