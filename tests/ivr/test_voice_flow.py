"""Every IVR branch in every language, asserted on parsed TwiML."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.calls.models import Call
from hotline.core.settings import Settings
from hotline.tickets.models import Ticket
from ivr.catalog import catalog
from tests.conftest import BASE_URL, Twilio
from tests.twiml import gather, parse, spoken, verbs, voices

LANGUAGES = {"1": "zh-CN", "2": "en", "3": "ko"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The `ivr` intake mode: its main menu; agent-first is in test_agent_first.py."""
    return settings.model_copy(update={"intake_mode": "ivr"})


def call_row(session: Session, twilio: Twilio) -> Call:
    session.rollback()  # a fresh snapshot
    call = session.scalar(select(Call).where(Call.call_sid == twilio.call_sid))
    assert call is not None
    return call


def start(twilio: Twilio, language_digit: str) -> None:
    parse(twilio.post("/ivr/voice"))
    parse(twilio.post("/ivr/voice/language?attempt=1", Digits=language_digit))


def test_welcome_offers_three_languages_after_notices(twilio: Twilio) -> None:
    root = parse(twilio.post("/ivr/voice"))
    zh = catalog("zh-CN")
    said = spoken(root)
    assert said[:3] == [zh.text("greeting"), zh.text("recorded_notice"), zh.text("emergency")]
    assert "119" in said[2] and "110" in said[2] and "120" in said[2]
    menu = gather(root)
    assert menu.get("numDigits") == "1"
    assert menu.get("input") == "dtmf"
    assert menu.get("actionOnEmptyResult") == "true"
    assert menu.get("action") == f"{BASE_URL}/ivr/voice/language?attempt=1"
    choices = [say.get("voice") for say in menu.iter("Say")]
    assert choices == [catalog(lang).voice for lang in ("zh-CN", "en", "ko")]


@pytest.mark.parametrize(("digit", "language"), LANGUAGES.items())
def test_language_choice_sets_language_and_speaks_main_menu(
    twilio: Twilio, session: Session, digit: str, language: str
) -> None:
    parse(twilio.post("/ivr/voice"))
    root = parse(twilio.post("/ivr/voice/language?attempt=1", Digits=digit))
    prompts = catalog(language)
    assert call_row(session, twilio).language == language
    assert voices(root) == {prompts.voice}
    assert prompts.text("main_menu") in spoken(root)
    assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/menu?attempt=1"
    if language != "zh-CN":  # Mandarin callers heard the notices already
        assert prompts.text("emergency") in spoken(root)


@pytest.mark.parametrize("digits", ["7", ""])
def test_language_menu_reprompts_twice_then_defaults_to_mandarin(
    twilio: Twilio, session: Session, digits: str
) -> None:
    parse(twilio.post("/ivr/voice"))
    zh = catalog("zh-CN")
    expected = zh.text("invalid") if digits else zh.text("no_input")
    for attempt in (1, 2):
        root = parse(twilio.post(f"/ivr/voice/language?attempt={attempt}", Digits=digits))
        assert spoken(root)[0] == expected
        assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/language?attempt={attempt + 1}"
    root = parse(twilio.post("/ivr/voice/language?attempt=3", Digits=digits))
    assert call_row(session, twilio).language == "zh-CN"
    assert zh.text("main_menu") in spoken(root)


@pytest.mark.parametrize("digit", LANGUAGES)
def test_main_menu_branches(twilio: Twilio, session: Session, digit: str) -> None:
    language = LANGUAGES[digit]
    prompts = catalog(language)
    start(twilio, digit)

    root = parse(twilio.post("/ivr/voice/menu?attempt=1", Digits="0"))
    assert spoken(root) == [prompts.text("main_menu")]

    root = parse(twilio.post("/ivr/voice/menu?attempt=1", Digits="2"))
    assert spoken(root) == [prompts.text("status_prompt")]
    assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/status?attempt=1"
    assert gather(root).get("numDigits") is None and gather(root).get("finishOnKey") == "#"

    root = parse(twilio.post("/ivr/voice/menu?attempt=1", Digits="1"))
    assert prompts.text("category_menu") in spoken(root)
    assert call_row(session, twilio).intent == "report"


@pytest.mark.parametrize("digits", ["8", ""])
def test_main_menu_falls_through_to_a_report_after_three_misses(
    twilio: Twilio, session: Session, digits: str
) -> None:
    start(twilio, "2")
    for attempt in (1, 2):
        root = parse(twilio.post(f"/ivr/voice/menu?attempt={attempt}", Digits=digits))
        assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/menu?attempt={attempt + 1}"
    root = parse(twilio.post("/ivr/voice/menu?attempt=3", Digits=digits))
    assert catalog("en").text("category_menu") in spoken(root)


@pytest.mark.parametrize(
    ("digit", "category"),
    [
        ("1", "roads_facilities"),
        ("2", "utilities"),
        ("3", "sanitation_environment"),
        ("4", "noise_disputes"),
        ("5", "social_assistance"),
        ("9", "other"),
    ],
)
def test_category_choice(twilio: Twilio, session: Session, digit: str, category: str) -> None:
    start(twilio, "3")
    root = parse(twilio.post("/ivr/voice/category?attempt=1", Digits=digit))
    assert call_row(session, twilio).category == category
    menu = gather(root)
    assert menu.get("numDigits") == "4"
    assert menu.get("finishOnKey") == "#"
    assert catalog("ko").text("location_prompt") in spoken(root)


def test_category_defaults_to_other_after_three_misses(twilio: Twilio, session: Session) -> None:
    start(twilio, "1")
    for attempt in (1, 2):
        parse(twilio.post(f"/ivr/voice/category?attempt={attempt}", Digits="7"))
    root = parse(twilio.post("/ivr/voice/category?attempt=3", Digits=""))
    assert call_row(session, twilio).category == "other"
    assert catalog("zh-CN").text("location_prompt") in spoken(root)


@pytest.mark.parametrize("digit", LANGUAGES)
def test_known_community_code_is_confirmed_and_recording_starts(
    twilio: Twilio, session: Session, digit: str
) -> None:
    language = LANGUAGES[digit]
    start(twilio, digit)
    root = parse(twilio.post("/ivr/voice/location?attempt=1", Digits="1101"))
    name = {"zh-CN": "东湖社区", "en": "Donghu Community", "ko": "동호 마을"}[language]
    assert catalog(language).text("location_confirmed", community=name) in spoken(root)
    call = call_row(session, twilio)
    assert (call.location_code, call.location_source) == ("1101", "keyed")
    record = root.find("Record")
    assert record is not None
    assert record.attrib == {
        "action": f"{BASE_URL}/ivr/voice/recorded",
        "method": "POST",
        "maxLength": "120",
        "finishOnKey": "#",
        "playBeep": "true",
        "trim": "trim-silence",
        "timeout": "5",
        "recordingStatusCallback": f"{BASE_URL}/ivr/recording-status",
        "recordingStatusCallbackMethod": "POST",
        "recordingStatusCallbackEvent": "completed absent",
    }
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text == f"{BASE_URL}/ivr/voice/record?attempt=2"


@pytest.mark.parametrize("digits", ["9999", "12", ""])
def test_location_unknown_after_two_failed_tries(
    twilio: Twilio, session: Session, digits: str
) -> None:
    start(twilio, "2")
    en = catalog("en")
    root = parse(twilio.post("/ivr/voice/location?attempt=1", Digits=digits))
    assert spoken(root)[0] == (en.text("location_not_found") if digits else en.text("no_input"))
    assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/location?attempt=2"
    root = parse(twilio.post("/ivr/voice/location?attempt=2", Digits=digits))
    assert en.text("location_unknown") in spoken(root)
    assert "Record" in verbs(root)
    call = call_row(session, twilio)
    assert (call.location_code, call.location_source) == (None, "unknown")


def test_nothing_recorded_asks_once_more_then_finishes(twilio: Twilio, session: Session) -> None:
    start(twilio, "2")
    root = parse(twilio.post("/ivr/voice/record?attempt=2"))
    assert spoken(root)[0] == catalog("en").text("record_nothing_heard")
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text == f"{BASE_URL}/ivr/voice/recorded?missing=1"
    root = parse(twilio.post("/ivr/voice/recorded?missing=1"))
    ticket = session.scalar(select(Ticket))
    assert ticket is not None and ticket.status == "triaged"
    assert spoken(root)[0] == catalog("en").text("record_missing")
    assert verbs(root)[-1] == "Hangup"


@pytest.mark.parametrize("digit", LANGUAGES)
def test_recorded_reads_ticket_number_twice_and_hangs_up(
    twilio: Twilio, session: Session, digit: str
) -> None:
    language = LANGUAGES[digit]
    prompts = catalog(language)
    start(twilio, digit)
    parse(twilio.post("/ivr/voice/category?attempt=1", Digits="4"))
    parse(twilio.post("/ivr/voice/location?attempt=1", Digits="1203"))
    root = parse(
        twilio.post(
            "/ivr/voice/recorded",
            RecordingSid="RE" + "b" * 32,
            RecordingUrl="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE" + "b" * 32,
            RecordingDuration="7",
            Digits="#",
        )
    )
    ticket = session.scalar(select(Ticket))
    assert ticket is not None
    assert ticket.reference == "2026-000001"
    assert (ticket.status, ticket.category, ticket.location_code, ticket.language) == (
        "received",
        "noise_disputes",
        "1203",
        language,
    )
    digits = "2, 0, 2, 6, 0, 0, 0, 0, 0, 1"
    assert spoken(root) == [
        prompts.text("ticket_number", digits=digits),
        prompts.text("ticket_number_again", digits=digits),
        prompts.text("goodbye"),
    ]
    assert verbs(root)[-1] == "Hangup"
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_unknown_step_is_404(twilio: Twilio) -> None:
    assert twilio.post("/ivr/voice/nonsense").status_code == 404


def test_catalogs_have_the_same_prompts() -> None:
    keys = {language: set(catalog(language).prompts) for language in LANGUAGES.values()}
    assert keys["en"] == keys["zh-CN"] == keys["ko"]
