"""The one Pulumi mock of the test suite: realistic ids and outputs, and a monitor that records
every registration with its options (parent, protect, retain_on_delete, replace_on_changes, ...)
and its outputs (a custom resource's as the mocks return them, a component's as it registers them).

Use it through the ``pulumi_env`` fixture of ``tests/conftest.py``, which gives each test a fresh
monitor, so registrations never leak from one test to the next.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import mocks as pmocks
from pulumi.runtime import rpc

SECRET_SIG = rpc._special_sig_key
SECRET_MARK = rpc._special_secret_sig


CONNECTION_SECRETS = {"privateKey", "password", "privateKeyPassword"}  # the secret fields of a connection


def _fake_digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


class Mocks(pulumi.runtime.Mocks):
    """Outputs shaped like the providers' own, so components can use them."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        state = dict(args.inputs)
        typ = args.typ
        if typ == "random:index/randomPassword:RandomPassword":
            length = int(state.get("length", 32))
            state["result"] = ("Mock" + hashlib.sha256(args.name.encode()).hexdigest())[:length]
        elif typ == "tls:index/privateKey:PrivateKey":
            state["private_key_pem"] = f"-----BEGIN PRIVATE KEY-----\nMOCK-{args.name}\n-----END PRIVATE KEY-----\n"
            state["private_key_openssh"] = f"-----BEGIN OPENSSH PRIVATE KEY-----\nMOCK-{args.name}\n"
            state["public_key_pem"] = f"-----BEGIN PUBLIC KEY-----\nMOCKPUB{args.name}\n-----END PUBLIC KEY-----\n"
            state["public_key_openssh"] = f"ssh-ed25519 AAAAMOCK{args.name}"
        elif typ in ("tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"):
            state["cert_pem"] = f"-----BEGIN CERTIFICATE-----\nMOCK-{args.name}\n-----END CERTIFICATE-----\n"
        elif typ == "tls:index/certRequest:CertRequest":
            state["cert_request_pem"] = f"-----BEGIN CERTIFICATE REQUEST-----\nMOCK-{args.name}\n"
        elif typ == "docker:index/remoteImage:RemoteImage":
            state["repo_digest"] = f"{state.get('name', 'image')}@{_fake_digest(args.name)}"
            state["image_id"] = _fake_digest("id" + args.name)
        elif typ == "docker:index/image:Image":
            state["repo_digest"] = f"{state.get('image_name', 'image')}@{_fake_digest(args.name)}"
            state["image_name"] = state.get("image_name", args.name)
        elif typ.startswith("command:"):
            state.setdefault("stdout", "")
            state.setdefault("stderr", "")
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@dataclass
class Registration:
    """One resource as the program asked for it: type, name, inputs (secrets marked) and options."""

    urn: str
    type: str
    name: str
    parent: str
    inputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    delete_before_replace: bool
    replace_on_changes: list[str]
    ignore_changes: list[str]
    additional_secret_outputs: list[str]
    dependencies: list[str]
    provider: str
    custom: bool
    aliases: list[str] = field(default_factory=list)
    # a custom resource's outputs as the mocks return them (never secret-marked: the engine would mark
    # ``additional_secret_outputs``); a component's as it registers them (secrets marked)
    outputs: dict[str, Any] = field(default_factory=dict)


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG) == SECRET_MARK


def unwrap(value: Any) -> Any:
    """The plain value of an input, secrets opened (for assertions on content)."""
    if is_secret(value):
        return unwrap(value["value"])
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


class RecordingMonitor(pmocks.MockMonitor):
    """A MockMonitor that also keeps each registration's options and its inputs with secrets marked."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: dict[str, Registration] = {}

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != "pulumi:pulumi:Stack":
            inputs = _keep_secrets(request.object)
            self.registrations[response.urn] = Registration(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent=request.parent,
                inputs=inputs,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                delete_before_replace=bool(request.deleteBeforeReplace),
                replace_on_changes=list(request.replaceOnChanges),
                ignore_changes=list(request.ignoreChanges),
                additional_secret_outputs=list(request.additionalSecretOutputs),
                dependencies=list(request.dependencies),
                provider=request.provider,
                custom=bool(request.custom),
                aliases=[a.urn for a in request.aliases] if hasattr(request, "aliases") else [],
                outputs=_keep_secrets(response.object) if request.custom else {},
            )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        registration = self.registrations.get(request.urn)
        if registration is not None and not registration.custom:
            registration.outputs = _keep_secrets(request.outputs)
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]

    def secret_values(self, config_secrets: Iterable[str] = ()) -> set[str]:
        """Every value the program holds as a secret, at least 8 characters long: the outputs a
        provider declares secret (``additional_secret_outputs``), every secret-marked string (what
        components made of secrets), and ``config_secrets``."""
        found = {v for v in config_secrets if len(v) >= 8}
        for r in self.registrations.values():
            for key in r.additional_secret_outputs:
                value = r.outputs.get(key, r.outputs.get(re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()))
                found |= {text for path, text, _ in leaves(value, f".{key}") if _secret_material(path, text)}
            for values in (r.inputs, r.outputs):
                found |= {text for path, text, secret in leaves(values) if secret and _secret_material(path, text)}
        return found

    def component_outputs_made_of_secrets(self, secrets: set[str]) -> dict[tuple[str, str, str], bool]:
        """(urn, type, output path) -> is it secret, for every string a component registered that
        holds one of ``secrets``."""
        found = {}
        for r in self.registrations.values():
            if r.custom:
                continue
            for path, text, secret in leaves(r.outputs):
                if any(s in text for s in secrets):
                    found[(r.urn, r.type, path)] = secret
        return found


def _secret_material(path: str, text: str) -> bool:
    """A string held as a secret that is one: a command's whole connection is a secret (it may carry
    the key), its address and user are not; strings shorter than 8 characters are not looked for."""
    blanket = path.startswith(".connection.") and path.rsplit(".", 1)[-1] not in CONNECTION_SECRETS
    return len(text) >= 8 and not blanket


def leaves(value: Any, path: str = "", secret: bool = False) -> Iterator[tuple[str, str, bool]]:
    """(path, string, under a secret mark) of every string of a wire value."""
    if is_secret(value):
        yield from leaves(value.get("value"), path, True)
    elif isinstance(value, str):
        yield path, value, secret
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, f"{path}.{k}", secret)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, f"{path}[{i}]", secret)


def _keep_secrets(struct: Any) -> dict[str, Any]:
    from google.protobuf import json_format

    return dict(json_format.MessageToDict(struct))
