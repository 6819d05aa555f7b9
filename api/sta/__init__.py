"""OGC SensorThings API 1.1 (Sensing, read) at /sta/v1.1."""
