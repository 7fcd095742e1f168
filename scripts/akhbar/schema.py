"""The JSON Schemas under ``schema/`` and what is derived from them.

``schema/document.schema.json`` is the single source of truth of the record format. This module
loads it, validates records against it (every record, before anything is written), and derives the
``datasets.Features`` (hence the Arrow schema of the Parquet files and the ``dataset_info`` of the
card) from it, so the three can never drift apart.

Type mapping: string → ``string``, integer → ``int32`` (offsets are code-point indices, far below
2**31), number → ``float64``, boolean → ``bool``, object → struct, array → ``list``; a nullable type
(``["string", "null"]`` or ``oneOf: [null, X]``) maps to X (Arrow columns are nullable).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Iterator

import jsonschema
from datasets import Features, List, Value
from referencing import Registry, Resource

DOCUMENT_SCHEMA = "document.schema.json"
ANNOTATIONS_SCHEMA = "annotations.schema.json"
_ARROW_TYPES = {"string": "string", "integer": "int32", "number": "float64", "boolean": "bool"}


@cache
def load_schema(name: str) -> dict:
    """A schema file of the package's ``schema/`` folder, parsed."""
    return json.loads(resources.files("akhbar").joinpath("schema", name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources_ = []
    for name in (DOCUMENT_SCHEMA, ANNOTATIONS_SCHEMA):
        schema = load_schema(name)
        resource = Resource.from_contents(schema)
        resources_ += [(schema["$id"], resource), (name, resource)]
    return Registry().with_resources(resources_)


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator for one of the package schemas, ``$ref``\\ s between them resolved offline."""
    return jsonschema.Draft202012Validator(load_schema(name), registry=_registry())


@dataclass(frozen=True)
class SchemaProblem:
    """One way an instance breaks its schema: where (``$.a[0].b``) and what."""

    json_path: str
    message: str

    def __str__(self) -> str:
        return f"{self.json_path}: {self.message}"


@cache
def _fast_validator(name: str):
    # jsonschema-rs (compiled) answers "valid?" ~50x faster than the pure-Python validator, which
    # is kept for the messages: every record of the build is checked, and almost all are valid.
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_schema(name))


def schema_problems(instance: Any, name: str = DOCUMENT_SCHEMA) -> Iterator[SchemaProblem]:
    """Every schema violation of ``instance``, in a stable order."""
    if name == DOCUMENT_SCHEMA and _fast_validator(name).is_valid(instance):
        return
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in errors:
        message = error.message
        if len(message) > 200:  # jsonschema quotes the whole instance, which can be a page of text
            message = message[:200] + "…"
        yield SchemaProblem(error.json_path, message)


def _resolve(node: dict, root: dict) -> dict:
    ref = node.get("$ref")
    if ref is None:
        return node
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref are supported in the record schema, not {ref!r}")
    target = root
    for part in ref[2:].split("/"):
        target = target[part]
    return _resolve(target, root)


def _feature(node: dict, root: dict):
    node = _resolve(node, root)
    if "oneOf" in node:
        options = [o for o in (_resolve(o, root) for o in node["oneOf"]) if o.get("type") != "null"]
        if len(options) != 1:
            raise ValueError(f"cannot map oneOf with {len(options)} non-null options to one Arrow type")
        return _feature(options[0], root)
    if "enum" in node or "const" in node:
        return Value("string")
    kind = node["type"]
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if len(kinds) != 1:
            raise ValueError(f"cannot map type {kind!r} to one Arrow type")
        kind = kinds[0]
    if kind == "object":
        return {name: _feature(sub, root) for name, sub in node["properties"].items()}
    if kind == "array":
        return List(_feature(node["items"], root))
    return Value(_ARROW_TYPES[kind])


def features_from_schema(schema: dict) -> Features:
    """The ``datasets.Features`` of a record schema, columns in the schema's property order."""
    return Features({name: _feature(sub, schema) for name, sub in schema["properties"].items()})


@cache
def document_features() -> Features:
    """Features of the ``documents`` config."""
    return features_from_schema(load_schema(DOCUMENT_SCHEMA))


def row_features(definition: str) -> Features:
    """Features of a flat config with one row per item of ``$defs/<definition>`` (entity, event),
    keyed by ``document_id``: ``load_dataset("dataset", "entities")``."""
    schema = load_schema(DOCUMENT_SCHEMA)
    item = _feature(schema["$defs"][definition], schema)
    return Features({"document_id": Value("string"), **item})


#: The ``links`` config: one row per unordered pair of documents and relation.
LINK_FEATURES = Features({
    "source": Value("string"), "target": Value("string"), "relation": Value("string"),
    "score": Value("float64"), "method": Value("string"),
})
