"""The kinds of problem residents report, in IVR menu order."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """Problem categories; the IVR digit for each is in MENU_DIGITS."""

    ROADS_FACILITIES = "roads_facilities"
    UTILITIES = "utilities"
    SANITATION_ENVIRONMENT = "sanitation_environment"
    NOISE_DISPUTES = "noise_disputes"
    SOCIAL_ASSISTANCE = "social_assistance"
    OTHER = "other"


MENU_DIGITS: dict[str, Category] = {
    "1": Category.ROADS_FACILITIES,
    "2": Category.UTILITIES,
    "3": Category.SANITATION_ENVIRONMENT,
    "4": Category.NOISE_DISPUTES,
    "5": Category.SOCIAL_ASSISTANCE,
    "9": Category.OTHER,
}
