"""Leasing in the running twin: reads of the ledger at any instant and its commands, which
append to several streams at once so a space is never let twice (see :mod:`occupancy`)."""
