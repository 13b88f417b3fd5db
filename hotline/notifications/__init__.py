"""SMS to team members and residents, recorded in the messages table."""
