"""Imports into a running twin: plan (merge, diff, what it touches), then record as events."""
