"""Domain errors that routers translate into HTTP answers."""


class NotFound(LookupError):
    """The requested object does not exist (or is not visible to the caller)."""


class Conflict(RuntimeError):
    """The request is valid but not allowed in the current state."""


class Forbidden(PermissionError):
    """The user's role does not allow this action."""
