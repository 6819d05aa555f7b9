"""Leasing: availability, holds and leases, plans and KPIs (the `leasing` role's API)."""
