"""A ticket's intake type and time-limit class: inferred by triage unless a person chose them."""

from __future__ import annotations

from hotline.hotspots.rules import landmark_in
from hotline.sla.policy import urgency_for
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType, Urgency
from hotline.tickets.models import Ticket
from hotline.triage.config import CategoryConfig, TriageLevel

INFERRED = "triage"


def chosen_by_person(by: str | None) -> bool:
    """Whether a person set the value (so the rules leave it alone)."""
    return by not in (None, INFERRED)


def infer_intake_type(*, ticket: Ticket, config: CategoryConfig) -> None:
    """The category's intake type (configurable per category), unless a person chose one."""
    if chosen_by_person(ticket.intake_type_by):
        return
    category = Category(ticket.category or Category.OTHER)
    ticket.intake_type = config.categories[category].intake_type.value
    ticket.intake_type_by = INFERRED


def note_landmark(*, ticket: Ticket, text: str) -> None:
    """Remember which of the grid's landmarks the case names (for hotspots), if not known."""
    if ticket.landmark is None and ticket.grid is not None and text:
        ticket.landmark = landmark_in(text, ticket.grid.landmarks or [])


def set_level(*, ticket: Ticket, config: CategoryConfig, level: TriageLevel, by: str) -> None:
    """Set the triage level and the time-limit class it gives, unless a person chose the class
    and this is the rules speaking."""
    ticket.level = level
    if by == INFERRED and chosen_by_person(ticket.urgency_by):
        return
    found = urgency_for(config, ticket.category or Category.OTHER.value, level)
    ticket.urgency = found.value if found else None
    ticket.urgency_by = by


def choose_intake_type(*, ticket: Ticket, intake_type: IntakeType, by: str) -> None:
    """A person's choice of intake type."""
    ticket.intake_type = intake_type.value
    ticket.intake_type_by = by


def choose_urgency(*, ticket: Ticket, urgency: Urgency, by: str) -> None:
    """A person's choice of time-limit class."""
    ticket.urgency = urgency.value
    ticket.urgency_by = by
