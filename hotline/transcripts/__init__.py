"""Transcripts of recorded descriptions."""
