"""Importing surveyed geometry and BIM: source files -> records -> a validated candidate campus.

Readers (one module per format) turn a file into :class:`~assets.imports.records.ImportBatch`
records in EPSG:32651 metres; :mod:`assets.imports.merge` lays a batch over the current campus and
validates the result with the dataset's own invariants; :mod:`assets.imports.diff` says what
changed. Nothing here touches the event log: twin/ turns an accepted import into events.
"""
