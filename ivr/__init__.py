"""Twilio voice webhooks, call flows, prompt catalogs and the call simulator."""
