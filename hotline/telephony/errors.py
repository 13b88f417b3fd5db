"""The one error every telephony adapter raises."""


class TelephonyError(RuntimeError):
    """The provider refused or failed a request; the message says why."""
