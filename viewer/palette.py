"""Default colours of the campus scene, shared by the pyvista renders and the browser client
(features a colouring does not name keep these)."""

from __future__ import annotations

DEFAULT_COLORS = {
    "park": "#bccbb1",
    "core": "#e2e7d5",
    "complex": "#2f86a0",
    "parcel": "#ece0c4",
    "building": "#f4f3ef",
    "floor": "#d3d4cf",
    "unit": "#f4f3ef",
}
"""Default colour per feature kind (``floor`` colours each storey's core prism)."""
FISH_COLOR = "#2f86a0"
"""Default colour of the fish-shaped parcels (ids starting ``fish-``): a water teal."""
FISH_PREFIX = "fish-"
