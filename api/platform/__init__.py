"""Probes, metrics, the API's own pages and the server's read timeouts."""
