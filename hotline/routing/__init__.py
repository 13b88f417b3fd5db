"""Routing: which team and which member a triaged ticket goes to."""
