"""Tickets: the case a call becomes, and its lifecycle."""
