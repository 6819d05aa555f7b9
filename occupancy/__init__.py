"""Leasing: units and racks for lease, tenants, holds and leases, availability, stacking plans."""
