"""Benchmarks of the twin: ``python -m bench`` runs every section; see README.md."""
