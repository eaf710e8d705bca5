"""The JSON Schema of a member file, generated from the model; shipped as ``schema/member.schema.json``.

A key of a member file is never written without a value (``site:``, ``limits: ~``): ``pic check``
refuses it (:func:`pic.registry.empty_keys`), so the schema allows no null either, and an
editor flags the key as ``pic check`` does.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from pic.registry import MemberSpec
from pic.yamlloader import boolean_json_schema

SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"


class _WithoutNull(GenerateJsonSchema):
    """An optional field's schema is its value's: leaving the key out is how a file says "none"."""

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        """``true``, or YAML 1.1's ``yes``/``on``... that ``pic check`` reads as booleans too: an editor reading the
        file as YAML 1.2 (yaml-language-server's default) gets them as text, and flagged them in a valid file."""
        return boolean_json_schema()

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        out = super().default_schema(schema)
        if "default" in out:
            default = _without_nulls(out["default"])
            if default is None:
                del out["default"]  # the key left out: nothing to show as a value
            else:
                out["default"] = default
        return out


def _without_nulls(value: Any) -> Any:
    """``value`` without the keys of its mappings whose value is null (a default such as ``{"php_eol": null}``)."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    return value


def member_schema() -> dict[str, Any]:
    schema = MemberSpec.model_json_schema(mode="validation", schema_generator=_WithoutNull)
    return {"$schema": SCHEMA_ID, **schema}


def member_schema_text() -> str:
    return json.dumps(member_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
