"""Construction: stages, planned against actual, charts and commands."""
