"""The campus summary and the event log, as of any instant."""
