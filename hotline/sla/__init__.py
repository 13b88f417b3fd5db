"""Deadlines: the working-time calendar and the response/resolution policy."""
