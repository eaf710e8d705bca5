"""The mock harness itself: fresh monitor per test, options and secrets recorded."""

from __future__ import annotations

import pulumi
import pulumi_random as random

from tests.pulumi_mocks import RecordingMonitor, is_secret


class _Box(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:Box", name, None, opts)
        self.password = random.RandomPassword(f"{name}-pw", length=20, opts=pulumi.ResourceOptions(parent=self))
        pulumi.export("pw", self.password.result)
        self.register_outputs({"password": self.password.result})


@pulumi.runtime.test
def test_records_options_and_parent(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    box = _Box("a", pulumi.ResourceOptions(protect=True))

    def check(_: object) -> None:
        regs = {r.name: r for r in pulumi_env.registrations.values()}
        assert set(regs) == {"a", "a-pw"}, regs
        assert regs["a"].protect
        assert regs["a-pw"].parent == regs["a"].urn
        assert regs["a-pw"].inputs["length"] == 20

    return box.password.result.apply(check)


@pulumi.runtime.test
def test_monitor_is_fresh_each_test(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    box = _Box("b")

    def check(_: object) -> None:
        assert {r.name for r in pulumi_env.registrations.values()} == {"b", "b-pw"}

    return box.password.result.apply(check)


def test_secret_marker() -> None:
    assert is_secret({"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "x"})
    assert not is_secret({"value": "x"})


class _Vault(pulumi.ComponentResource):
    """Registers one password as given and one marked secret."""

    def __init__(self, name: str) -> None:
        super().__init__("pic:index:Vault", name, None, None)
        pw = random.RandomPassword(f"{name}-pw", length=20, opts=pulumi.ResourceOptions(parent=self))
        self.password: pulumi.Output[str] = pulumi.Output.secret(pw.result)
        self.register_outputs(
            {
                "given": pw.result,
                "secret": self.password,
                "file": self.password.apply(lambda p: f"[client]\npassword={p}\n"),
                "user": "vault",
            }
        )


def test_records_component_outputs_and_finds_those_made_of_secrets(pulumi_env: RecordingMonitor) -> None:
    @pulumi.runtime.test
    def program() -> None:
        _Vault("v")

    program()  # returns once every registration, register_outputs included, has reached the monitor
    (component,) = [r for r in pulumi_env.registrations.values() if not r.custom]
    assert set(component.outputs) == {"given", "secret", "file", "user"}
    found = pulumi_env.component_outputs_made_of_secrets(pulumi_env.secret_values())
    # the mocks return a provider's secret outputs unmarked: a component must mark what it registers
    assert {path: secret for (_, _, path), secret in found.items()} == {".given": False, ".secret": True, ".file": True}
