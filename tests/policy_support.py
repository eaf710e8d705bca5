"""Calling the policy pack's validations directly, as the engine's analyzer would."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from pic.plan.engine import Record, is_secret
from policy.pack import POLICIES
from policy.rules import SecretText


def options(protect: bool = False, additional_secret_outputs: Iterable[str] = ()) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), list(additional_secret_outputs), None
    )


def resource_args(
    resource_type: str,
    props: Mapping[str, Any],
    *,
    name: str = "r",
    protect: bool = False,
    additional_secret_outputs: Iterable[str] = (),
    config: Mapping[str, Any] | None = None,
) -> ResourceValidationArgs:
    urn = f"urn:pulumi:prod::pic::{resource_type}::{name}"
    return ResourceValidationArgs(
        resource_type, props, urn, name, options(protect, additional_secret_outputs), None, config
    )


def validate(policy: Policy, args: ResourceValidationArgs | StackValidationArgs) -> list[tuple[str, str | None]]:
    """The violations a policy reports: (message, urn)."""
    found: list[tuple[str, str | None]] = []
    policy.validate(args, lambda message, urn=None: found.append((message, urn)))  # type: ignore[attr-defined]
    return found


def stack_args(resources: Iterable[tuple[str, str, Mapping[str, Any]]]) -> StackValidationArgs:
    """(type, urn, props) of each resource."""
    return StackValidationArgs(
        [
            PolicyResource(t, props, urn, urn.rsplit("::", 1)[-1], options(), None, None, [], {})
            for t, urn, props in resources
        ]
    )


def plain(value: Any) -> Any:
    """Inputs as an analyzer sees them: secrets decrypted (pulumi-policy gives policies plain values)."""
    if is_secret(value):
        return plain(value["value"])
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def marked(value: Any) -> Any:
    """Inputs as the pack sees them: each secret string marked (policy.pack keeps the engine's marks)."""
    if is_secret(value):
        inner = marked(value["value"])
        return _secret_strings(inner)
    if isinstance(value, dict):
        return {k: marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [marked(v) for v in value]
    return value


def _secret_strings(value: Any) -> Any:
    if isinstance(value, str):
        return SecretText(value)
    if isinstance(value, dict):
        return {k: _secret_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_secret_strings(v) for v in value]
    return value


def violations_of_program(records: list[Record], config: Mapping[str, Any] | None = None) -> list[str]:
    """Every violation of every policy of the pack on a program's recorded resources."""
    out: list[str] = []
    custom = [r for r in records if r.custom]
    for policy in POLICIES:
        if isinstance(policy, ResourceValidationPolicy):
            for r in custom:
                args = ResourceValidationArgs(
                    r.type,
                    marked(r.inputs),
                    r.urn,
                    r.name,
                    options(r.protect, r.additional_secret_outputs),
                    None,
                    (config or {}).get(policy.name),
                )
                out += [f"{policy.name}: {r.urn}: {m}" for m, _ in validate(policy, args)]
        elif isinstance(policy, StackValidationPolicy):
            args2 = stack_args((r.type, r.urn, marked(r.inputs)) for r in custom)
            out += [f"{policy.name}: {u}: {m}" for m, u in validate(policy, args2)]
    return out
