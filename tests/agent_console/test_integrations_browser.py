"""Integrations in Debian's Chromium: an admin makes a key, subscribes, and replays an event."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect
from redis import Redis
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from tests.agent_console.arrange import Cases
from tests.agent_console.browsing import shot, sign_in
from tests.conftest import LiveServer, run_jobs
from tests.hotline.webhooks.helpers import SECRET, new_case
from tests.hotline.webhooks.receiver import receiving
from worker.context import WorkerContext

pytestmark = pytest.mark.browser


def test_an_admin_wires_up_a_city_app_and_a_department_system(
    page: Page,
    live: LiveServer,
    cases: Cases,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    worker_context: WorkerContext,
    redis: Redis,
) -> None:
    sign_in(page, live, "admin")
    page.get_by_role("link", name="系统对接").click()
    page.get_by_label("客户端").fill("wechat-miniprogram")
    page.get_by_label("每分钟请求数").first.fill("30")
    page.get_by_role("button", name="生成密钥").click()
    key = page.locator("#shown-once").inner_text()
    assert key.startswith("o311_")
    expect(page.locator("#keys")).to_contain_text("wechat-miniprogram")
    shot(page, "integrations-1-key")
    page.reload()
    expect(page.locator("#shown-once")).to_have_count(0)  # shown once only
    assert key not in page.content()

    posted = httpx.post(
        f"{live.url}/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "other",
            "address_string": "1101",
            "description": "咨询办事时间",
        },
    )
    assert posted.status_code == 201

    with receiving(SECRET) as receiver:
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("签名密钥").fill(SECRET)
        page.get_by_role("button", name="订阅").click()
        expect(page.get_by_role("status")).to_contain_text("已添加订阅 #")
        flash = page.get_by_role("status").inner_text()
        number = re.search(r"#(\d+)", flash).group(1)  # type: ignore[union-attr]
        reference = new_case(sessions, clock, 1)
        run_jobs(worker_context, redis)
        page.goto(f"{live.url}/console/admin/integrations")
        rows = page.locator("#deliveries tbody tr")
        expect(rows).to_have_count(2)  # created and dispatched
        expect(page.locator("#deliveries")).to_contain_text(reference)
        expect(page.locator("#subscriptions")).to_contain_text("启用")
        shot(page, "integrations-2-delivered")
        page.get_by_role("button", name="重发").first.click()
        expect(page.get_by_role("status")).to_contain_text("该事件将重新发送")
        run_jobs(worker_context, redis)
        page.reload()
        expect(page.locator("#deliveries")).to_contain_text("重发自")
        page.get_by_role("button", name=f"暂停 #{number}").click()
        expect(page.locator("#subscriptions")).to_contain_text("已暂停")
        shot(page, "integrations-3-paused")
    ids = [r.headers["x-hotline-event-id"] for r in receiver.received]
    assert len(ids) == 3 and len(set(ids)) == 2  # the replay repeats an event id
    assert all(r.signature_ok for r in receiver.received)
