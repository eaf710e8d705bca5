"""The policies of the pack, as pulumi-policy objects; the logic is in :mod:`policy.rules`.

Every policy is mandatory: a violation stops ``pulumi preview`` and
``pulumi up``. The end-of-life policy evaluates as of today, or as of the day
given in the pack's config (``{"runtime-end-of-life": {"on": "2027-01-01"}}``
in a file passed with ``--policy-pack-config``).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from types import ModuleType
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import deserialize as _wire
from pulumi_policy import policy as _servicer

from pic.days import parse_day
from policy import rules

# --- the engine's secret marks -----------------------------------------------------------------
# The engine sends a policy pack every secret value marked as one; pulumi-policy's validation
# arguments drop the mark (pulumi/pulumi-policy#241), so a secret Output would read as plain text
# and be refused. Its servicer deserializes the engine's properties with the function below
# instead, which keeps the mark on each string as a rules.SecretText. Should a later pulumi-policy
# no longer call `deserialize_properties` there, the marks would be lost: secret-looking secret
# Outputs refused as plain text, and a logging command given a secret that does not look like one
# unnoticed. The pack then refuses to start (install_secret_marks), naming what it misses, rather
# than run without them; tests/test_policy.py also queries the pack over the analyzer protocol.


def _marked(prop: Any, secret: bool) -> Any:
    if isinstance(prop, list):
        return [_marked(e, secret) for e in prop]
    if isinstance(prop, dict):
        sig = prop.get(_wire.SPECIAL_SIG_KEY)
        if sig == _wire.SPECIAL_SECRET_SIG:
            return _marked(prop["value"], True)
        if sig is not None:  # an asset or archive
            return _wire._deserialize_property(prop)
        return {k: _marked(v, secret) for k, v in prop.items()}
    return rules.SecretText(prop) if secret and isinstance(prop, str) else prop


def deserialize_keeping_secret_marks(props: dict[str, Any], proxy_secrets: bool = False) -> dict[str, Any]:
    """pulumi-policy's deserialization of a resource's properties, each secret string a rules.SecretText."""
    if proxy_secrets:  # remediations, which this pack has none of: pulumi-policy's own
        return _wire.deserialize_properties(props, proxy_secrets)
    return {k: _marked(v, False) for k, v in props.items()}


# What the servicer's analyses must call for the engine's properties, and what _marked reads.
_WIRE_NAMES = ("deserialize_properties", "_deserialize_property", "SPECIAL_SIG_KEY", "SPECIAL_SECRET_SIG")
_ANALYSES = ("Analyze", "AnalyzeStack")


def install_secret_marks(servicer: ModuleType = _servicer, wire: ModuleType = _wire) -> None:
    """Make pulumi-policy's servicer deserialize with :func:`deserialize_keeping_secret_marks`.

    RuntimeError, naming the pulumi-policy version and what it lacks, when its servicer's analyses no
    longer deserialize the engine's properties through the module's ``deserialize_properties`` (the
    replacement would silently do nothing) or its wire format's names moved.
    """
    missing = [f"{wire.__name__}.{name}" for name in _WIRE_NAMES if not hasattr(wire, name)]
    analyzer = getattr(servicer, "_PolicyAnalyzerServicer", None)
    for method in _ANALYSES:
        code = getattr(getattr(analyzer, method, None), "__code__", None)
        if code is None or "deserialize_properties" not in code.co_names:
            missing.append(f"{servicer.__name__}._PolicyAnalyzerServicer.{method} calling deserialize_properties")
    if missing:
        try:
            version = importlib.metadata.version("pulumi-policy")
        except importlib.metadata.PackageNotFoundError:
            version = "(version unknown)"
        raise RuntimeError(
            f"policy pack: pulumi-policy {version} does not read the engine's properties as policy/pack.py "
            f"expects (not found: {', '.join(missing)}), so the pack cannot keep the engine's secret marks: it "
            "would refuse secret Outputs as plain text and miss a command that logs a secret. Install a "
            "pulumi-policy the pack was tested with (policy/requirements.txt; rm -r policy/venv to recreate it) "
            "or update policy/pack.py"
        )
    servicer.deserialize_properties = deserialize_keeping_secret_marks  # type: ignore[attr-defined]


install_secret_marks()


def _on(args: ResourceValidationArgs) -> dt.date:
    text = args.get_config().get("on")
    if not text:
        return dt.date.today()
    try:
        return parse_day(str(text))
    except ValueError as exc:
        # the config schema checks the form only (2027-02-30 passes it): stop the preview, saying why
        raise ValueError(f"policy pack config: runtime-end-of-life.on: {exc}") from None


def _validate_eol(args: ResourceValidationArgs, report: ReportViolation) -> None:
    for message in rules.runtime_end_of_life(args.resource_type, args.props, _on(args)):
        report(message, None)


def _validate_database(args: ResourceValidationArgs, report: ReportViolation) -> None:
    for message in rules.database_protected(args.resource_type, args.props, bool(args.opts.protect)):
        report(message, None)


def _validate_mysql_host(args: ResourceValidationArgs, report: ReportViolation) -> None:
    for message in rules.mysql_host(args.resource_type, args.props):
        report(message, None)


def _validate_secrets(args: ResourceValidationArgs, report: ReportViolation) -> None:
    declared = list(args.opts.additional_secret_outputs or ())
    for message in rules.plaintext_secrets(args.resource_type, args.props, declared):
        report(message, None)


def _validate_https(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = [rules.StackResource(r.urn, r.resource_type, r.props) for r in args.resources]
    for urn, message in rules.https_coverage(resources):
        report(message, urn)


def _validate_facts(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = [rules.StackResource(r.urn, r.resource_type, r.props) for r in args.resources]
    for urn, message in rules.sites_without_facts(resources):
        report(message, urn)


runtime_end_of_life = ResourceValidationPolicy(
    name="runtime-end-of-life",
    description="No site on a PHP runtime past its end of life without a valid exception.",
    validate=_validate_eol,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=PolicyConfigSchema(properties={"on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}}),
)
database_protected = ResourceValidationPolicy(
    name="database-protected",
    description="Every member database is protected against deletion (protect=True).",
    validate=_validate_database,
    enforcement_level=EnforcementLevel.MANDATORY,
)
mysql_user_host = ResourceValidationPolicy(
    name="mysql-user-not-from-anywhere",
    description="No MySQL user or grant from '%': only from the web hosts.",
    validate=_validate_mysql_host,
    enforcement_level=EnforcementLevel.MANDATORY,
)
no_plaintext_secret = ResourceValidationPolicy(
    name="no-plaintext-secret",
    description="No secret-looking value (key, password, token) in an input that is not declared secret.",
    validate=_validate_secrets,
    enforcement_level=EnforcementLevel.MANDATORY,
)
https_domains_certified = StackValidationPolicy(
    name="https-domains-certified",
    description="Every https site's domains are all covered by one certificate.",
    validate=_validate_https,
    enforcement_level=EnforcementLevel.MANDATORY,
)

site_facts_placed = StackValidationPolicy(
    name="site-facts-placed",
    description="Every PHP site container has its facts placed, where its end of life is checked.",
    validate=_validate_facts,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES: list[Policy] = [
    runtime_end_of_life,
    site_facts_placed,
    database_protected,
    mysql_user_host,
    https_domains_certified,
    no_plaintext_secret,
]
