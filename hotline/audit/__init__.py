"""Audit log: who saw which recording or unmasked number, who signed in."""
