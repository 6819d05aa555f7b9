"""OpenAPI 3.1 -> 3.0.3: for clients that read only 3.0 (OGC API - Features' ``oas30`` class).

FastAPI writes OpenAPI 3.1, whose schemas are JSON Schema 2020-12; OpenAPI 3.0 has its own
schema dialect. :func:`downgrade` maps one to the other, :func:`subset` keeps some paths and
the components they reach. Both are pure: they never change their input (the result may share
its unconverted parts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Json = dict[str, Any]

VERSION = "3.0.3"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
UNSUPPORTED = frozenset(
    {
        "$schema",
        "$id",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$defs",
        "$comment",
        "$vocabulary",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "dependentRequired",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contains",
        "minContains",
        "maxContains",
        "propertyNames",
        "patternProperties",
    }
)
"""JSON Schema 2020-12 keywords OpenAPI 3.0 lacks: dropped, which only loosens a schema."""
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_TEXTUAL = re.compile(r"^text/|[/+](json|xml)$")


def downgrade(spec: Mapping[str, Any]) -> Json:
    """An OpenAPI 3.1 document as OpenAPI 3.0.3.

    Document: ``openapi`` becomes 3.0.3; ``jsonSchemaDialect``, ``webhooks``,
    ``components.pathItems``, ``info.summary`` and ``info.license.identifier`` are removed.
    Schemas (of components, parameters, headers, request and response bodies, recursively):

    - ``anyOf``/``oneOf`` with a ``{type: 'null'}`` branch -> the other branch (a ``$ref``
      wrapped in ``allOf``) with ``nullable: true``;
    - ``type: [a, 'null']`` -> ``type: a, nullable: true`` (several types -> ``anyOf``);
    - ``examples: [x, ...]`` -> ``example: x``; ``const: v`` -> ``enum: [v]``;
    - numeric ``exclusiveMinimum: n`` -> ``minimum: n, exclusiveMinimum: true`` (same for
      maximum);
    - ``contentEncoding: base64`` -> ``format: byte``; a non-textual ``contentMediaType``
      -> ``format: binary``; both keywords are removed;
    - ``prefixItems`` -> ``items`` (one schema, or ``anyOf`` the distinct ones); boolean
      ``items`` -> a schema; a nullable ``enum`` lists ``null``;
    - a ``$ref`` with sibling keywords -> ``allOf: [$ref]`` beside them (3.0 ignores siblings);
    - the keywords of :data:`UNSUPPORTED` are dropped.

    ``examples`` maps of parameters and media types are OpenAPI's own and stay.
    """
    out = {k: v for k, v in spec.items() if k not in ("jsonSchemaDialect", "webhooks")}
    out["openapi"] = VERSION
    out["info"] = _info(spec.get("info", {}))
    out["paths"] = {path: _path_item(item) for path, item in spec.get("paths", {}).items()}
    if "components" in spec:
        out["components"] = _components(spec["components"])
    return out


def subset(spec: Mapping[str, Any], keep: Callable[[str], bool]) -> Json:
    """``spec`` with only the paths ``keep`` accepts, the tags they use and the components
    they reach (through ``$ref``, transitively; security schemes by name)."""
    paths = {p: item for p, item in spec.get("paths", {}).items() if keep(p)}
    out = {**spec, "paths": paths}
    if "tags" in spec:
        used = {
            tag
            for item in paths.values()
            for m in METHODS
            for tag in item.get(m, {}).get("tags", [])
        }
        out["tags"] = [tag for tag in spec["tags"] if tag["name"] in used]
    components = spec.get("components")
    if components is None:
        return out
    reached: set[tuple[str, str]] = set()
    pending = [paths, spec.get("security", [])]
    while pending:
        for section, name in _refs(pending.pop()):
            if (section, name) not in reached and name in components.get(section, {}):
                reached.add((section, name))
                pending.append(components[section][name])
    schemes = _security_names(spec.get("security", [])) | {
        name for item in paths.values() for name in _security_names(_operation_security(item))
    }
    kept: Json = {}
    for section, entries in components.items():
        if section == "securitySchemes":
            chosen = {n: v for n, v in entries.items() if n in schemes}
        else:
            chosen = {n: v for n, v in entries.items() if (section, n) in reached}
        if chosen:
            kept[section] = chosen
    if kept:
        out["components"] = kept
    else:
        out.pop("components")
    return out


def _refs(node: Any) -> list[tuple[str, str]]:
    """The (section, name) of every local ``#/components/<section>/<name>`` ref in ``node``."""
    found: list[tuple[str, str]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                section, _, name = ref.removeprefix("#/components/").partition("/")
                found.append((section, name.replace("~1", "/").replace("~0", "~")))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _operation_security(path_item: Mapping[str, Any]) -> list[Any]:
    return [req for m in METHODS for req in path_item.get(m, {}).get("security", [])]


def _security_names(requirements: list[Any]) -> set[str]:
    return {name for requirement in requirements for name in requirement}


def _info(info: Mapping[str, Any]) -> Json:
    out = {k: v for k, v in info.items() if k != "summary"}
    if "license" in info:
        out["license"] = {k: v for k, v in info["license"].items() if k != "identifier"}
    return out


def _components(components: Mapping[str, Any]) -> Json:
    convert: dict[str, Callable[[Any], Any]] = {
        "schemas": schema,
        "parameters": _parameter,
        "headers": _parameter,
        "responses": _response,
        "requestBodies": _body,
        "callbacks": _callback,
    }
    return {
        section: {name: convert[section](v) for name, v in entries.items()}
        if section in convert
        else entries
        for section, entries in components.items()
        if section != "pathItems"
    }


def _path_item(item: Mapping[str, Any]) -> Json:
    out = dict(item)
    if "parameters" in item:
        out["parameters"] = [_parameter(p) for p in item["parameters"]]
    for method in METHODS:
        if method in item:
            out[method] = _operation(item[method])
    return out


def _operation(operation: Mapping[str, Any]) -> Json:
    out = dict(operation)
    if "parameters" in operation:
        out["parameters"] = [_parameter(p) for p in operation["parameters"]]
    if "requestBody" in operation:
        out["requestBody"] = _body(operation["requestBody"])
    responses = operation.get("responses") or {"default": {"description": "Any response"}}
    out["responses"] = {status: _response(r) for status, r in responses.items()}
    if "callbacks" in operation:
        out["callbacks"] = {n: _callback(c) for n, c in operation["callbacks"].items()}
    return out


def _callback(callback: Mapping[str, Any]) -> Json:
    if "$ref" in callback:
        return dict(callback)
    return {expression: _path_item(item) for expression, item in callback.items()}


def _parameter(parameter: Mapping[str, Any]) -> Json:
    """A parameter or header: its schema, or the schemas of its content."""
    out = dict(parameter)
    if "schema" in parameter:
        out["schema"] = schema(parameter["schema"])
    if "content" in parameter:
        out["content"] = _content(parameter["content"])
    return out


def _body(body: Mapping[str, Any]) -> Json:
    return {**body, "content": _content(body["content"])} if "content" in body else dict(body)


def _response(response: Mapping[str, Any]) -> Json:
    out = _body(response)
    if "headers" in response:
        out["headers"] = {n: _parameter(h) for n, h in response["headers"].items()}
    return out


def _content(content: Mapping[str, Any]) -> Json:
    out: Json = {}
    for media_type, entry in content.items():
        converted = dict(entry)
        if "schema" in entry:
            converted["schema"] = schema(entry["schema"])
        if "encoding" in entry:
            converted["encoding"] = {
                name: {**enc, "headers": {n: _parameter(h) for n, h in enc["headers"].items()}}
                if "headers" in enc
                else dict(enc)
                for name, enc in entry["encoding"].items()
            }
        out[media_type] = converted
    return out


def schema(node: Any) -> Any:
    """One JSON Schema 2020-12 schema as an OpenAPI 3.0 Schema Object (see :func:`downgrade`)."""
    if not isinstance(node, Mapping):
        return node  # `additionalProperties: true` and other boolean schemas
    out = _without_null_branches(node)
    out = {k: _subschemas(k, v) for k, v in out.items() if k not in UNSUPPORTED}
    _nullable_types(out)
    if isinstance(out.get("examples"), list):
        examples = out.pop("examples")
        if examples:
            out.setdefault("example", examples[0])
    if "const" in out:
        const = out.pop("const")
        out.setdefault("enum", [const])
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        _exclusive_bound(out, exclusive, bound)
    _content_format(out)
    if "prefixItems" in out:
        _prefix_items(out)
    _boolean_items(out)
    if out.get("nullable") and "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]  # 3.0.3: an enum lists null for null to be valid
    if "$ref" in out and len(out) > 1:
        out["allOf"] = [{"$ref": out.pop("$ref")}, *out.get("allOf", [])]
    return out


def _subschemas(key: str, value: Any) -> Any:
    """``value`` converted where ``key`` holds subschemas, else as it is."""
    if key in (*_SUBSCHEMA_LISTS, "prefixItems"):
        return [schema(s) for s in value]
    if key in ("properties",):
        return {name: schema(s) for name, s in value.items()}
    if key in ("items", "additionalProperties", "not"):
        return schema(value)
    return value


def _nullable_types(out: Json) -> None:
    types = out.get("type")
    if types == "null":
        out.pop("type")
        out.update(nullable=True, enum=[None])
    elif isinstance(types, list):
        real = [t for t in types if t != "null"]
        if len(real) < len(types):
            out["nullable"] = True
        del out["type"]
        if len(real) == 1:
            out["type"] = real[0]
        elif real:
            out["anyOf"] = [{"type": t} for t in real] + out.get("anyOf", [])
        else:
            out["enum"] = [None]


def _without_null_branches(node: Mapping[str, Any]) -> Json:
    """``node`` without the ``{type: 'null'}`` branches of its ``anyOf``/``oneOf``, and
    ``nullable: true`` if it had one (a lone other branch is merged in)."""
    out = dict(node)
    for key in ("anyOf", "oneOf"):
        branches = out.get(key)
        if not isinstance(branches, list) or not any(_is_null(b) for b in branches):
            continue
        rest = [b for b in branches if not _is_null(b)]
        del out[key]
        out["nullable"] = True
        if len(rest) > 1:
            out[key] = rest
        elif rest and "$ref" in rest[0]:
            out["allOf"] = [rest[0], *out.get("allOf", [])]
        elif rest:
            for name, value in rest[0].items():
                out.setdefault(name, value)  # the outer title, description and default win
    return out


def _is_null(branch: Any) -> bool:
    return isinstance(branch, Mapping) and branch.get("type") == "null"


def _exclusive_bound(out: Json, exclusive: str, bound: str) -> None:
    limit = out.get(exclusive)
    if isinstance(limit, bool) or not isinstance(limit, int | float):
        return  # absent, or already OpenAPI 3.0's boolean form
    current = out.get(bound)
    tighter = current is not None and (current > limit if bound == "minimum" else current < limit)
    if tighter:
        del out[exclusive]  # the inclusive bound already excludes the limit
    else:
        out.update({bound: limit, exclusive: True})


def _content_format(out: Json) -> None:
    media_type = out.pop("contentMediaType", None)
    encoding = out.pop("contentEncoding", None)
    if encoding in ("base64", "base64url"):
        out.setdefault("format", "byte")
    elif media_type is not None and not _TEXTUAL.search(media_type):
        out.setdefault("format", "binary")


def _prefix_items(out: Json) -> None:
    """2020-12 tuples: each position's schema -> one ``items`` schema for every position."""
    prefix = out.pop("prefixItems")
    extra = out.pop("items", None)  # the schema of items past the prefix; False: none allowed
    if extra is False:
        out.setdefault("maxItems", len(prefix))
    elif isinstance(extra, Mapping):
        prefix = [*prefix, extra]
    elif out.get("maxItems", len(prefix) + 1) > len(prefix):
        prefix = [*prefix, {}]  # items past the prefix may be anything
    distinct = [s for i, s in enumerate(prefix) if s not in prefix[:i]]
    if {} in distinct or not distinct:
        out["items"] = {}
    else:
        out["items"] = distinct[0] if len(distinct) == 1 else {"anyOf": distinct}


def _boolean_items(out: Json) -> None:
    """``items: true`` -> any items; ``items: false`` -> an empty array (3.0 wants a schema)."""
    if out.get("items") is True:
        out["items"] = {}
    elif out.get("items") is False:
        out.update(items={}, maxItems=0)
