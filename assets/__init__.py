"""The physical campus: zones, parcels, buildings, floors, units and facilities.

``assets.data`` holds the embedded Flying Fish dataset; :func:`assets.dataset.load_campus` reads
and validates it into a :class:`assets.campus.Campus`.
"""
