"""Facility status in the living twin: readings recorded in the log (HTTP and MQTT), the
facilities' state at any instant, alerts, queries, and the ``facilities`` viewer colours."""
