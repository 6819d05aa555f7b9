"""Values with units are written one way: SI spacing, no symbol for a pure number."""

from __future__ import annotations

import pytest

from assets.units import quantity


@pytest.mark.parametrize(
    ("value", "unit", "spec", "text"),
    [
        (1.42, "1", "g", "1.42"),  # UCUM's dimensionless unit has no symbol
        (1.42, "", "g", "1.42"),
        (27.5, "°C", "g", "27.5 °C"),
        (85, "%", "g", "85 %"),
        (1200, "kW", "g", "1200 kW"),
        (12345.6, "m²", ",.0f", "12,346 m²"),
        (25, "racks", "d", "25 racks"),
    ],
)
def test_quantity_writes_a_value_with_its_unit(value, unit, spec, text):
    assert quantity(value, unit, spec) == text
