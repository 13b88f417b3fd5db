"""RQ workers, job functions and the outbox relay."""
