"""Citizen hotline: intake, tickets, grid routing and callback surveys."""
