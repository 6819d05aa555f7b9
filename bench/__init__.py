"""Benchmarks of the twin, run as modules (``python -m bench.time_travel``); see README.md."""
