"""The HTTP API (FastAPI): JSON under /api/v1, the scene, and later OGC API - Features."""
