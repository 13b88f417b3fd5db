"""A ticket's reasons read in the viewer's language; the API keeps codes and English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.tickets import phone_intake
from hotline.triage.policy import policy_from_settings
from hotline.users.permissions import Actor
from tests.agent_console.arrange import Cases, csrf, sign_in
from tests.conftest import API_TOKEN


def phone_report(sessions: sessionmaker[Session], clock: FixedClock, settings: Settings) -> str:
    """A call typed by an agent: keyed community 1101, no grid, so the town's triage team."""
    with sessions.begin() as session:
        ticket = phone_intake.create_on_behalf(
            session=session,
            clock=clock,
            policy=policy_from_settings(settings),
            actor=Actor("agent", "agent"),
            caller="+8613700000077",
            language="zh-CN",
            category="roads_facilities",
            community="1101",
            summary="路灯不亮",
            answered=False,
        )
        return ticket.reference


def timeline(page: str) -> str:
    found = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S)
    assert found, page
    return found.group(1)


def test_the_chinese_console_shows_chinese_reasons_and_the_english_one_english(
    console: TestClient,
    cases: Cases,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    settings: Settings,
) -> None:
    reference = phone_report(sessions, clock, settings)
    sign_in(console, "supervisor")  # a new user's console is in Chinese
    chinese = timeline(console.get(f"/console/tickets/{reference}").text)
    assert "话务员电话受理" in chinese
    assert "来电人按键选择了“道路设施”" in chinese
    assert "来电人按键输入社区 东湖社区 (1101)" in chinese
    assert "分拨组接办" in chinese
    assert "the caller" not in chinese and "keypad" not in chinese

    console.post("/console/me/language", data={"language": "en", "csrf_token": csrf(console)})
    english = timeline(console.get(f"/console/tickets/{reference}").text)
    assert "the caller chose roads and facilities on the keypad" in english
    assert "Donghu" in english or "(1101)" in english
    assert "来电人" not in english


def test_the_api_gives_each_reason_as_code_parameters_and_english(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> None:
    reference = phone_report(sessions, clock, settings)
    detail = client.get(
        f"/api/v1/tickets/{reference}", headers={"Authorization": f"Bearer {API_TOKEN}"}
    ).json()
    triaged = next(e for e in detail["events"] if e["action"] == "triage")
    keyed = next(r for r in triaged["reasons"] if r["code"] == "triage.keyed_community")
    assert keyed["params"] == {"community": "1101"}
    assert keyed["text"].startswith("the caller keyed community ")
    assert "1101" in keyed["text"]
    assert "the caller chose roads and facilities on the keypad" in triaged["reason"]
    dispatched = next(e for e in detail["events"] if e["action"] == "dispatch")
    assert [r["code"] for r in dispatched["reasons"]] == ["route.town_triage"]
