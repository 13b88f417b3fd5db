"""The intake call flow: language → main menu → category → location → record."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from hotline.calls import intake
from hotline.calls import service as calls
from hotline.calls.models import Call, LocationSource
from hotline.core.clock import Clock
from hotline.core.settings import Settings
from hotline.grids import service as grids
from hotline.grids.models import OrgUnit
from hotline.tickets import service as tickets
from hotline.tickets.categories import MENU_DIGITS, Category
from hotline.tickets.transitions import TicketStatus, public_status
from hotline.triage import service as triage
from hotline.triage.policy import TriagePolicy
from ivr.catalog import DEFAULT_LANGUAGE, LANGUAGE_DIGITS, Catalog, catalog, languages
from ivr.twiml import gather_digits, record_description, say, spoken_date, spoken_digits
from ivr.waiting import Waiting

MENU_ATTEMPTS = 3  # the first prompt and two re-prompts
LOCATION_ATTEMPTS = 2
RECORD_ATTEMPTS = 2


class CallFlow:
    """Builds the TwiML for each step of one call, remembering choices on the Call row."""

    def __init__(
        self,
        *,
        session: Session,
        clock: Clock,
        settings: Settings,
        policy: TriagePolicy,
        call: Call,
    ) -> None:
        self.policy = policy
        self.session = session
        self.clock = clock
        self.settings = settings
        self.call = call

    @property
    def catalog(self) -> Catalog:
        """Prompts in the caller's language."""
        return catalog(self.call.language or DEFAULT_LANGUAGE)

    def url(self, path: str, **params: str | int) -> str:
        """Absolute webhook URL under the public base URL."""
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.settings.public_base_url}/ivr/{path}{query}"

    # -- prompts -----------------------------------------------------------------

    def _ask(
        self,
        step: str,
        prompt: str,
        attempt: int,
        *,
        preface: list[str] | None = None,
        num_digits: int | None = 1,
        response: VoiceResponse | None = None,
        **values: str,
    ) -> VoiceResponse:
        response = response or VoiceResponse()
        for key in preface or []:
            say(response, self.catalog, key, **values)
        action = self.url(f"voice/{step}", attempt=attempt)
        timeout = 6 if num_digits == 1 else 10
        gather = gather_digits(response, action, num_digits=num_digits, timeout=timeout)
        say(gather, self.catalog, prompt, **values)
        return response

    def _retry_or(
        self,
        step: str,
        prompt: str,
        digits: str,
        attempt: int,
        limit: int,
        fallthrough: Callable[[], VoiceResponse],
        *,
        invalid_key: str = "invalid",
        num_digits: int | None = 1,
        **values: str,
    ) -> VoiceResponse:
        if attempt >= limit:
            return fallthrough()
        preface = [invalid_key if digits else "no_input"]
        return self._ask(
            step, prompt, attempt + 1, preface=preface, num_digits=num_digits, **values
        )

    def welcome(self) -> VoiceResponse:
        """Greeting, recording and emergency notices, then the language menu."""
        response = VoiceResponse()
        zh = catalog(DEFAULT_LANGUAGE)
        for key in ("greeting", "recorded_notice", "emergency"):
            say(response, zh, key)
        return self._language_menu(response, attempt=1)

    def _language_menu(self, response: VoiceResponse, attempt: int) -> VoiceResponse:
        gather = gather_digits(response, self.url("voice/language", attempt=attempt), num_digits=1)
        for language in languages():
            say(gather, catalog(language), "language_choice")
        return response

    # -- steps ---------------------------------------------------------------------

    def choose_language(self, digits: str, attempt: int) -> VoiceResponse:
        """Set the caller's language; after three misses carry on in Mandarin."""
        language = LANGUAGE_DIGITS.get(digits)
        if language is None and attempt < MENU_ATTEMPTS:
            response = VoiceResponse()
            say(response, catalog(DEFAULT_LANGUAGE), "invalid" if digits else "no_input")
            return self._language_menu(response, attempt + 1)
        calls.update_choices(
            call=self.call, clock=self.clock, language=language or DEFAULT_LANGUAGE
        )
        response = VoiceResponse()
        if self.call.language != DEFAULT_LANGUAGE:
            for key in ("recorded_notice", "emergency"):
                say(response, self.catalog, key)
        if self.settings.intake_mode == "agent-first":
            return Waiting(self).join(response)
        return self._ask("menu", "main_menu", 1, response=response)

    def ask_category(
        self, *, preface: list[str], response: VoiceResponse | None = None, **values: str
    ) -> VoiceResponse:
        """The IVR intake from its first question: what kind of problem is it?"""
        calls.update_choices(call=self.call, clock=self.clock, intent="report")
        response = response or VoiceResponse()
        for key in preface:
            say(response, self.catalog, key, **values)
        return self._ask("category", "category_menu", 1, response=response)

    def main_menu(self, digits: str, attempt: int) -> VoiceResponse:
        """Report, status check, agent, or repeat; after three misses take a report."""
        if digits == "1":
            calls.update_choices(call=self.call, clock=self.clock, intent="report")
            return self._ask("category", "category_menu", 1)
        if digits == "2":
            return self._ask("status", "status_prompt", 1, num_digits=None)
        if digits == "3":
            return Waiting(self).menu_choice()
        if digits == "0":
            return self._ask("menu", "main_menu", attempt)

        def report() -> VoiceResponse:
            calls.update_choices(call=self.call, clock=self.clock, intent="report")
            return self._ask("category", "category_menu", 1)

        return self._retry_or("menu", "main_menu", digits, attempt, MENU_ATTEMPTS, report)

    def choose_category(self, digits: str, attempt: int) -> VoiceResponse:
        """Remember the category; after three misses file it as 'other'."""
        category = MENU_DIGITS.get(digits)
        if category is not None:
            calls.update_choices(call=self.call, clock=self.clock, category=category)
            return self._ask_location()

        def other() -> VoiceResponse:
            calls.update_choices(call=self.call, clock=self.clock, category=Category.OTHER)
            return self._ask_location()

        return self._retry_or("category", "category_menu", digits, attempt, MENU_ATTEMPTS, other)

    def _household_community(self) -> OrgUnit | None:
        household = triage.household_for(session=self.session, phone=self.call.from_number)
        return household.grid.parent if household is not None else None

    def _ask_location(self) -> VoiceResponse:
        """A caller whose household is registered may use the community on file."""
        community = self._household_community()
        if community is None:
            return self._ask("location", "location_prompt", 1, num_digits=4)
        name = community.name_in(self.catalog.language)
        return self._ask("location-on-file", "location_on_file", 1, community=name)

    def confirm_household_location(self, digits: str, attempt: int) -> VoiceResponse:
        """1 uses the household's community, 2 keys another code."""
        community = self._household_community()
        if digits == "1" and community is not None:
            calls.update_choices(
                call=self.call,
                clock=self.clock,
                location_code=community.code,
                location_source=LocationSource.HOUSEHOLD,
            )
            return self.record(1)
        if digits == "2" or community is None:
            return self._ask("location", "location_prompt", 1, num_digits=4)

        def key_code() -> VoiceResponse:
            return self._ask("location", "location_prompt", 1, num_digits=4)

        name = community.name_in(self.catalog.language)
        return self._retry_or(
            "location-on-file",
            "location_on_file",
            digits,
            attempt,
            MENU_ATTEMPTS,
            key_code,
            community=name,
        )

    def check_status(self, digits: str, attempt: int) -> VoiceResponse:
        """Read a ticket's status; details only to the number that reported it."""
        reference = tickets.reference_from_digits(digits, self.clock.now().year)
        found = (
            tickets.get_by_reference(session=self.session, reference=reference)
            if reference
            else None
        )
        if found is None:

            def back() -> VoiceResponse:
                return self._ask("menu", "main_menu", 1)

            return self._retry_or(
                "status",
                "status_prompt",
                digits,
                attempt,
                MENU_ATTEMPTS,
                back,
                invalid_key="status_not_found",
                num_digits=None,
                number=spoken_digits(digits),
            )
        response = VoiceResponse()
        ticket = tickets.follow_merges(session=self.session, ticket=found)
        spoken = spoken_digits(found.reference)
        public = public_status(TicketStatus(ticket.status))
        say(response, self.catalog, f"status_{public}", digits=spoken)
        if ticket.id != found.id:
            say(response, self.catalog, "status_merged", digits=spoken_digits(ticket.reference))
        if ticket.caller and ticket.caller == self.call.from_number and public != "closed":
            if ticket.team is not None:
                say(
                    response,
                    self.catalog,
                    "status_assigned",
                    team=ticket.team.name_in(self.catalog.language),
                )
            if ticket.due_at is not None:
                say(
                    response,
                    self.catalog,
                    "status_due",
                    date=spoken_date(self.catalog, ticket.due_at, self.settings.timezone),
                )
        return self._ask("menu", "main_menu", 1, response=response)

    def choose_location(self, digits: str, attempt: int) -> VoiceResponse:
        """Check the community code; after two misses go on with the location unknown."""
        community = (
            grids.get_community_by_code(session=self.session, code=digits)
            if (len(digits) == 4 and digits.isdigit())
            else None
        )
        if community is not None:
            calls.update_choices(
                call=self.call,
                clock=self.clock,
                location_code=community.code,
                location_source=LocationSource.KEYED,
            )
            response = VoiceResponse()
            say(
                response,
                self.catalog,
                "location_confirmed",
                community=community.name_in(self.catalog.language),
            )
            return self.record(1, response=response)

        def unknown() -> VoiceResponse:
            calls.update_choices(
                call=self.call, clock=self.clock, location_source=LocationSource.UNKNOWN
            )
            response = VoiceResponse()
            say(response, self.catalog, "location_unknown")
            return self.record(1, response=response)

        return self._retry_or(
            "location",
            "location_prompt",
            digits,
            attempt,
            LOCATION_ATTEMPTS,
            unknown,
            invalid_key="location_not_found",
            num_digits=4,
        )

    def record(
        self,
        attempt: int,
        *,
        prompt: str = "record_prompt",
        response: VoiceResponse | None = None,
        **values: str,
    ) -> VoiceResponse:
        """Prompt, beep and record; if nothing is heard, ask once more, then finish."""
        response = response or VoiceResponse()
        if attempt > 1:
            say(response, self.catalog, "record_nothing_heard")
        say(response, self.catalog, prompt, **values)
        response.append(
            record_description(self.url("voice/recorded"), self.url("recording-status"))
        )
        # Twilio skips the action and falls through here when no audio was recorded.
        if attempt < RECORD_ATTEMPTS:
            response.redirect(self.url("voice/record", attempt=attempt + 1), method="POST")
        else:
            response.redirect(self.url("voice/recorded", missing=1), method="POST")
        return response

    def recorded(self, form: dict[str, str]) -> VoiceResponse:
        """Open the ticket and read its number back twice."""
        if form.get("RecordingSid") and form.get("RecordingUrl"):
            ticket = intake.add_recording(
                session=self.session,
                clock=self.clock,
                policy=self.policy,
                call=self.call,
                recording_sid=form["RecordingSid"],
                recording_url=form["RecordingUrl"],
                duration=form.get("RecordingDuration"),
            ) or intake.ensure_ticket(
                session=self.session, clock=self.clock, policy=self.policy, call=self.call
            )
        else:
            ticket = intake.finish_without_recording(
                session=self.session, clock=self.clock, policy=self.policy, call=self.call
            )
        response = VoiceResponse()
        if not self.call.recordings:
            say(response, self.catalog, "record_missing")
        digits = spoken_digits(ticket.reference)
        say(response, self.catalog, "ticket_number", digits=digits)
        say(response, self.catalog, "ticket_number_again", digits=digits)
        say(response, self.catalog, "goodbye")
        response.hangup()
        return response
