"""The attribute mapping file: which kind each source feature is, and which of its fields are ours.

A TOML file (``twin import FILE --mapping F``; the CLI passes its parsed content as
:attr:`ReadOptions.mapping <assets.imports.records.ReadOptions.mapping>`)::

    [layers]              # GeoPackage layer (a GeoJSON file: its name without suffix) -> kind
    footprints = "building"
    trees = "ignore"

    [kind]                # or: each feature's kind comes from one of its fields
    field = "TYPE"
    values = { BLDG = "building", PLOT = "parcel" }
    default = "ignore"    # optional: for values not listed

    [fields]              # our field = the source's field, for every kind
    id = "CODE"
    [fields.building]     # ... or for one kind (wins over [fields])
    storeys = "FLOORS"
    height_m = "HEIGHT"   # with storeys: storey_height_m = height_m / storeys
    "name.en" = "NAME"

    [defaults.building]   # constants where the source gives nothing ([defaults]: every kind)
    use = "office"

Kinds: ``zone`` (or ``park``, ``core``, ``complex``: a zone of that kind), ``parcel``,
``building``, ``floor``, ``unit``, and ``ignore`` (features to skip). Our field names per kind
are :data:`TARGETS`. A kind the mapping gives fields for reads exactly those (a field no feature
of the layer has is refused); a kind it gives none for is read with our own field names
(:func:`own_names`: what ``twin export --format geojson/gpkg`` writes), so an export reads back
without a mapping. A floor's id may come from ``building`` + ``level``, a unit's from
``building`` + ``level`` + ``code``. A name given in one language only leaves the other to the
merge (the current entity's); a unit's name fills both.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, ValidationError, field_validator, model_validator

from assets.errors import DatasetError
from assets.imports.records import KINDS, Kind
from assets.models import Strict

SourceKind = Literal[
    "zone", "park", "core", "complex", "parcel", "building", "floor", "unit", "ignore"
]
"""What a mapping may call a feature: a record kind, a zone kind, or ``ignore``."""
ZONE_KINDS = ("park", "core", "complex")
KIND_NAMES: tuple[str, ...] = get_args(SourceKind)

_NAMES = ("name.en", "name.zh")
TARGETS: dict[Kind, tuple[str, ...]] = {
    "zone": ("id", *_NAMES, "kind", "parent", "provenance", "facts"),
    "parcel": ("id", *_NAMES, "zone", "role", "provenance", "facts"),
    "building": (
        "id",
        *_NAMES,
        "parcel",
        "use",
        "storeys",
        "height_m",
        "storey_height_m",
        "provenance",
        "facts",
    ),
    "floor": ("id", "building", "level"),
    "unit": ("id", "building", "level", "code", *_NAMES),
}
"""Our field names per kind, as a mapping names them (``name.en``/``name.zh``: the name's parts;
``height_m``: roof height, m; ``facts``: a list or a comma-separated text)."""

_OWN_SOURCE = {"name.en": "name", "name.zh": "name_zh"}
_NOT_EXPORTED_AS_OURS = {"zone": {"kind"}, "unit": set(_NAMES)}
"""Targets our export does not write under their own name: a zone's kind is its feature kind;
a unit's ``name`` column holds its id, not a name."""

Value = str | int | float | list[str]


def own_names(kind: Kind) -> dict[str, str]:
    """Our field -> the source field our own export writes it as, for ``kind``."""
    skip = _NOT_EXPORTED_AS_OURS.get(kind, set())
    return {t: _OWN_SOURCE.get(t, t) for t in TARGETS[kind] if t not in skip}


class _KeyError(ValueError):
    """A mapping key that is wrong: ``key`` is its dotted path (``fields.building.floors``)."""

    def __init__(self, key: str, detail: str):
        self.key = key
        super().__init__(detail)


def _known(target: str, kinds: tuple[Kind, ...], where: str) -> None:
    if not any(target in TARGETS[k] for k in kinds):
        fields = sorted({t for k in kinds for t in TARGETS[k]})
        raise _KeyError(
            f"{where}.{target}", f"{target!r} is not one of our fields (ours: {', '.join(fields)})"
        )


def _per_kind(raw: dict[str, Any], section: str, is_value: Any, wanted: str) -> None:
    """Check a ``[fields]``/``[defaults]`` table: values for every kind, or tables per kind."""
    for key, value in raw.items():
        if isinstance(value, dict):
            if key not in KINDS:
                raise _KeyError(f"{section}.{key}", f"{key!r} is not a kind ({', '.join(KINDS)})")
            for target, inner in value.items():
                _known(target, (key,), f"{section}.{key}")
                if not is_value(inner):
                    raise _KeyError(f"{section}.{key}.{target}", f"{inner!r}: {wanted}")
        else:
            _known(key, KINDS, section)
            if not is_value(value):
                raise _KeyError(f"{section}.{key}", f"{value!r}: {wanted}")


def _is_field_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _is_constant(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    return isinstance(value, str | int | float) and not isinstance(value, bool)


class KindRule(Strict):
    """``[kind]``: each feature's kind from one of its fields."""

    field: str | None = Field(default=None, min_length=1)
    values: dict[str, SourceKind] = Field(default_factory=dict)
    default: SourceKind | None = None

    @model_validator(mode="after")
    def _field_or_default(self) -> KindRule:
        if self.field is None and (self.values or self.default is None):
            raise ValueError("give field (the source field holding the kind) with values")
        return self


class Mapping(Strict):
    """A validated attribute mapping file (see the module docstring)."""

    layers: dict[str, SourceKind] = Field(default_factory=dict)
    kind: KindRule | None = None
    fields: dict[str, Any] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _fields_known(cls, raw: dict[str, Any]) -> dict[str, Any]:
        _per_kind(raw, "fields", _is_field_name, "give the source's field name (text)")
        return raw

    @field_validator("defaults")
    @classmethod
    def _defaults_known(cls, raw: dict[str, Any]) -> dict[str, Any]:
        _per_kind(raw, "defaults", _is_constant, "give text, a number or a list of texts")
        return raw

    def mapped_fields(self, kind: Kind) -> dict[str, str]:
        """Our field -> the source's field for ``kind`` (``[fields]`` and ``[fields.<kind>]``);
        empty when the mapping names none: then our own names are read (:func:`own_names`)."""
        given = {t: s for t, s in self.fields.items() if isinstance(s, str) and t in TARGETS[kind]}
        inner = self.fields.get(kind)
        given.update(inner if isinstance(inner, dict) else {})
        return given

    def constants(self, kind: Kind) -> dict[str, Value]:
        """Our field -> constant for ``kind`` where the source gives nothing."""
        out = {
            t: v for t, v in self.defaults.items() if not isinstance(v, dict) and t in TARGETS[kind]
        }
        inner = self.defaults.get(kind)
        out.update(inner if isinstance(inner, dict) else {})
        return out


NO_MAPPING = Mapping()
"""Our own field names and layer names."""


def parse_mapping(raw: dict[str, Any] | None, file: str) -> Mapping:
    """The mapping file's content, validated; :data:`NO_MAPPING` for ``None``.

    Raises
    ------
    DatasetError
        Rule ``mapping``, naming the key that is wrong (an unknown key, kind or field).
    """
    if raw is None:
        return NO_MAPPING
    try:
        return Mapping.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(mapping)"
        detail = first["msg"].removeprefix("Value error, ")
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, _KeyError):
            key, detail = cause.key, str(cause)
        if first["type"] == "extra_forbidden":
            detail = (
                "unknown key (known: layers, kind, fields, defaults; kind: field, values, default)"
            )
        raise DatasetError(file, f"mapping {key}", "mapping", detail) from exc


def load_mapping(path: Path) -> dict[str, Any]:
    """Read and validate a mapping file; its content, for :attr:`ReadOptions.mapping`.

    Raises
    ------
    DatasetError
        Rule ``mapping``: not TOML, or a key that is wrong.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DatasetError(path.name, "(file)", "missing-file", f"no file at {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError(path.name, "(file)", "mapping", f"not valid TOML: {exc}") from exc
    parse_mapping(raw, path.name)
    return raw
