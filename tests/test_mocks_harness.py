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
