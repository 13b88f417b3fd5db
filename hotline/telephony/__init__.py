"""Telephony port: the few things the hotline asks of a phone network."""
