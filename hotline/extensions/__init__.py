"""Extensions of a ticket's deadline (延期): asked for by the team, decided by a supervisor."""
