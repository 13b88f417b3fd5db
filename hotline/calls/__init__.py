"""Phone calls and their recordings."""
