"""Recording retention: audio is deleted after the retention period, the record of it stays."""
