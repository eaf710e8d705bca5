"""The JSON Schema of a member file, generated from the model; shipped as ``schema/member.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from pic.registry import MemberSpec

SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"


def member_schema() -> dict[str, Any]:
    schema = MemberSpec.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_ID, **schema}


def member_schema_text() -> str:
    return json.dumps(member_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
