"""Values with their units, written one way everywhere a person reads them.

Units are those of the catalogues (``°C``, ``kW``, ``%``, ``m²``, ``racks``...); ``1`` is UCUM's
unit of a dimensionless quantity (a PUE, a ratio), which has no symbol to print.
"""

from __future__ import annotations

DIMENSIONLESS = frozenset({"1", ""})
"""Units that mean "a pure number": the value is written alone."""


def quantity(value: float, unit: str, spec: str = "g") -> str:
    """``value`` formatted with ``spec`` and followed by its unit, SI style (a space between
    number and symbol, ``%`` and ``°C`` included); a dimensionless value stands alone.

    >>> quantity(1.42, "1"), quantity(27.5, "°C"), quantity(85, "%"), quantity(1250, "m²", ",.0f")
    ('1.42', '27.5 °C', '85 %', '1,250 m²')
    """
    number = format(value, spec)
    return number if unit in DIMENSIONLESS else f"{number} {unit}"
