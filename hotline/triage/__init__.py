"""Triage: category, place and level from the transcript and the IVR choices."""
