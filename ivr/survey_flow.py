"""The callback survey call: solved?, satisfaction 1-5, an optional comment; missed-call offers."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy.orm import Session
from twilio.twiml.voice_response import Record, VoiceResponse

from hotline.calls import service as calls
from hotline.calls.models import SURVEY_INTENT, Call
from hotline.core.clock import Clock
from hotline.core.settings import Settings
from hotline.notifications.service import language_of, templates
from hotline.surveys import service as surveys
from hotline.surveys.models import SurveyAttempt, SurveyKind
from hotline.surveys.rules import SCORE_DIGITS, SOLVED_DIGITS
from hotline.tickets.models import Ticket
from ivr.catalog import DEFAULT_LANGUAGE, Catalog, catalog, languages
from ivr.twiml import gather_digits, say, spoken_date

QUESTION_ATTEMPTS = 3
COMMENT_SECONDS = 30


class SurveyFlow:
    """One survey call, identified by its attempt id in every webhook URL."""

    def __init__(
        self, *, session: Session, clock: Clock, settings: Settings, attempt: SurveyAttempt
    ) -> None:
        self.session = session
        self.clock = clock
        self.settings = settings
        self.attempt = attempt
        self.survey = attempt.survey

    @property
    def catalog(self) -> Catalog:
        """Prompts in the resident's language."""
        language = self.survey.language
        return catalog(language if language in languages() else DEFAULT_LANGUAGE)

    def url(self, step: str, **params: str | int) -> str:
        """A survey webhook URL that carries the attempt id."""
        query = urlencode({"attempt": self.attempt.id, **params})
        return f"{self.settings.public_base_url}/ivr/survey/{step}?{query}"

    def answered(self, form: dict[str, str]) -> Call:
        """Note the call's SID and open a Call row for it (the resident is the 'from' side)."""
        sid = form["CallSid"]
        if self.attempt.call_sid is None:
            surveys.call_placed(attempt=self.attempt, call_sid=sid)
        call = calls.get_or_create(
            session=self.session,
            clock=self.clock,
            call_sid=sid,
            from_number=self.survey.phone,
            to_number=form.get("From", ""),
        )
        if call.intent is None:
            intent = SURVEY_INTENT if self.survey.kind == SurveyKind.CLOSURE else None
            calls.update_choices(
                call=call, clock=self.clock, intent=intent, language=self.survey.language
            )
        return call

    def start(self, form: dict[str, str]) -> VoiceResponse:
        """Greet by purpose; answering machines get a short message (or nothing) and a retry."""
        self.answered(form)
        response = VoiceResponse()
        answered_by = form.get("AnsweredBy", "")
        if answered_by:
            self.attempt.answered_by = answered_by
        if answered_by.startswith("machine") or answered_by == "fax":
            if self.settings.survey_machine_action == "message":
                say(response, self.catalog, "survey_machine")
            response.hangup()
            return response
        if self.survey.kind == SurveyKind.MISSED_CALL:
            gather = gather_digits(response, self.url("missed"), num_digits=1)
            say(gather, self.catalog, "missed_intro")
            return response
        ticket = self.session.get(Ticket, self.survey.ticket_id) if self.survey.ticket_id else None
        category = "other"
        if ticket is not None and ticket.category:
            category = ticket.category
        names = templates()[language_of(self.survey.language)]["categories"]
        say(
            response,
            self.catalog,
            "survey_intro",
            category=str(names.get(category, category)),
            date=spoken_date(
                self.catalog,
                ticket.created_at if ticket else self.clock.now(),
                self.settings.timezone,
            ),
        )
        return self._ask(response, "solved", "survey_solved", 1)

    def _ask(
        self, response: VoiceResponse, step: str, prompt: str, attempt: int, preface: str = ""
    ) -> VoiceResponse:
        if preface:
            say(response, self.catalog, preface)
        gather = gather_digits(response, self.url(step, ask=attempt), num_digits=1)
        say(gather, self.catalog, prompt)
        return response

    def solved(self, digits: str, attempt: int) -> VoiceResponse:
        """Keep the first answer to 'was it solved?', then ask for the score."""
        value = SOLVED_DIGITS.get(digits)
        if value is None and attempt < QUESTION_ATTEMPTS:
            preface = "invalid" if digits else "no_input"
            return self._ask(VoiceResponse(), "solved", "survey_solved", attempt + 1, preface)
        if value is not None:
            surveys.record_answer(
                session=self.session,
                clock=self.clock,
                attempt=self.attempt,
                question="solved",
                value=value,
            )
        return self._ask(VoiceResponse(), "score", "survey_score", 1)

    def score(self, digits: str, attempt: int) -> VoiceResponse:
        """Keep the first satisfaction score, then offer to record a comment."""
        value = SCORE_DIGITS.get(digits)
        if value is None and attempt < QUESTION_ATTEMPTS:
            preface = "invalid" if digits else "no_input"
            return self._ask(VoiceResponse(), "score", "survey_score", attempt + 1, preface)
        if value is not None:
            surveys.record_answer(
                session=self.session,
                clock=self.clock,
                attempt=self.attempt,
                question="score",
                value=str(value),
            )
        response = VoiceResponse()
        say(response, self.catalog, "survey_comment")
        response.append(
            Record(
                action=self.url("comment"),
                method="POST",
                max_length=COMMENT_SECONDS,
                finish_on_key="#",
                play_beep=True,
                trim="trim-silence",
                timeout=4,
            )
        )
        say(response, self.catalog, "survey_thanks")
        response.hangup()
        return response

    def comment(self, form: dict[str, str]) -> VoiceResponse:
        """Store the comment's recording; it is transcribed like any description."""
        sid, url = form.get("RecordingSid"), form.get("RecordingUrl")
        if sid and url:
            call = self.answered(form)
            duration = form.get("RecordingDuration", "")
            calls.add_recording(
                session=self.session,
                clock=self.clock,
                call=call,
                recording_sid=sid,
                source_url=url,
                duration_seconds=float(duration) if duration.isdigit() else None,
                available=True,
            )
        response = VoiceResponse()
        say(response, self.catalog, "survey_thanks")
        response.hangup()
        return response
