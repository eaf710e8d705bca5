"""The plan engine's process set-up: what it changes while the program runs, and that it undoes it.

run_program's docstring lists how its process differs from the language host of ``pulumi up``;
these tests hold it to that: the collector paused, the run's objects frozen after, no stack trace
taken, everything restored, and the recorder's protobuf conversion equal to ``MessageToDict``.
"""

from __future__ import annotations

import gc
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format, struct_pb2
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi.runtime import resource as pulumi_resource

from pic.plan import engine
from tests.conftest import ROOT

PROBE = """
from pulumi.runtime import resource as pulumi_resource
class Base:  # three constructors deep, as the SDK expects (Resource, CustomResource, the resource's own)
    def __init__(self):
        self.trace = pulumi_resource._get_stack_trace()
class Middle(Base):
    def __init__(self):
        super().__init__()
class Leaf(Middle):
    def __init__(self):
        super().__init__()
def program():
    return Leaf().trace
trace = program()
"""
PROGRAM = f"""
import gc, pulumi, pulumi_command as command
{PROBE}
command.local.Command("one", create="true")
pulumi.export("collecting", gc.isenabled())
pulumi.export("frames", len(trace.frames))
"""


def _project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "Pulumi.prod.yaml", tmp_path / "Pulumi.prod.yaml")
    (tmp_path / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    return tmp_path


def test_the_probe_sees_frames_when_the_sdk_takes_its_trace() -> None:
    namespace: dict[str, Any] = {}
    exec(PROBE, namespace)
    assert len(namespace["trace"].frames) > 0


def test_the_program_runs_without_collector_or_stack_traces_and_both_come_back(tmp_path: Path) -> None:
    project = _project(tmp_path)
    taken = pulumi_resource._get_stack_trace
    assert gc.isenabled()
    run = engine.run_program(project, "prod")
    assert run.exports == {"collecting": False, "frames": 0.0}
    assert [r.name for r in run.records] == ["one"]
    assert gc.isenabled()
    assert pulumi_resource._get_stack_trace is taken
    assert gc.get_freeze_count() > 0  # the run's objects, never scanned by the collector again


def test_a_second_run_collects_what_the_first_froze(tmp_path: Path) -> None:
    project = _project(tmp_path)
    engine.run_program(project, "prod")
    frozen = gc.get_freeze_count()
    engine.run_program(project, "prod")
    # The first run's objects were unfrozen and collected: only about one run's worth stays frozen.
    assert gc.get_freeze_count() < 2 * frozen


def test_the_set_up_is_undone_when_the_program_fails(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.prod.yaml").write_text((ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8"))
    (tmp_path / "__main__.py").write_text("import pulumi\nraise pulumi.RunError('broken')\n", encoding="utf-8")
    taken = pulumi_resource._get_stack_trace
    with pytest.raises(engine.ProgramError, match="broken"):
        engine.run_program(tmp_path, "prod")
    assert gc.isenabled()
    assert pulumi_resource._get_stack_trace is taken


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.integers(min_value=-(2**53), max_value=2**53),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_struct_conversion_is_message_to_dict(data: dict[str, Any]) -> None:
    struct = struct_pb2.Struct()
    struct.update(data)
    assert engine.struct_to_dict(struct) == json_format.MessageToDict(struct)


@pytest.mark.parametrize("number", [math.inf, -math.inf, math.nan])
def test_struct_conversion_refuses_what_message_to_dict_refuses(number: float) -> None:
    struct = struct_pb2.Struct()
    struct.update({"n": number})
    with pytest.raises(ValueError):
        json_format.MessageToDict(struct)
    with pytest.raises(ValueError):
        engine.struct_to_dict(struct)


def test_an_unset_value_is_null_as_message_to_dict_says() -> None:
    struct = struct_pb2.Struct()
    struct.fields["empty"].CopyFrom(struct_pb2.Value())
    assert engine.struct_to_dict(struct) == json_format.MessageToDict(struct) == {"empty": None}
