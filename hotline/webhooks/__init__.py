"""Event webhooks: department systems told when a ticket moves."""
