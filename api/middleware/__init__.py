"""ASGI middleware: request ids and logs, metrics, body-size and anonymous rate limits."""
