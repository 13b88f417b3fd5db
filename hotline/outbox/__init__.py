"""Transactional outbox: jobs written with the change that needs them."""
