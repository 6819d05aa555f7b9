"""The living twin: settings, the event log, state at any time, services and the ``twin`` CLI."""
