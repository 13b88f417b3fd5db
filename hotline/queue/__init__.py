"""The live agent queue: callers waiting for a person, answered, abandoned or leaving voicemail."""
