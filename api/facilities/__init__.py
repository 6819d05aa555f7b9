"""Facilities: status, readings over HTTP, alerts, redundancy and the live stream."""
