"""Lead and assisting units (主办 / 协办): one task per assisting unit on a ticket."""
