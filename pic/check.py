"""Everything ``pic check`` verifies, as one call that the program and the CLI share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pic import eol
from pic.errors import PicError, Problem
from pic.registry import Registry, load_registry
from pic.settings import SECRET_KEYS, Settings, display_path, load_settings


@dataclass(frozen=True)
class Checked:
    settings: Settings
    registry: Registry
    warnings: list[Problem]


def settings_warnings(settings: Settings, project_dir: Path) -> list[Problem]:
    file = display_path(project_dir / f"Pulumi.{settings.stack}.yaml")
    out = []
    for release in settings.debian_releases():
        if release not in settings.base_images:
            out.append(
                Problem(
                    file,
                    None,
                    f"pic:base_images.{release}",
                    f"the base image of Debian {release} is not pinned: images build FROM pic/debian:{release}, "
                    f"whatever it is on the host; pin it with the ID scripts/build-base-image {release} prints",
                    "warning",
                )
            )
    needed = [
        k for k in SECRET_KEYS if k != "sshPrivateKey" or any(h.connection == "ssh" for h in settings.hosts.values())
    ]
    for key in needed:
        if key not in settings.secrets:
            out.append(
                Problem(
                    file,
                    None,
                    f"pic:{key}",
                    f"is not set yet: set it with `pulumi config set --secret pic:{key}` before `pulumi up`",
                    "warning",
                )
            )
    return out


def check(project_dir: Path, stack: str, members_dir: Path, on: dt.date) -> Checked:
    """Load and validate settings, registry and the end-of-life policy; raise PicError on any error."""
    settings = load_settings(project_dir, stack)
    registry = load_registry(members_dir, settings)
    findings = eol.evaluate(registry, settings, on) + settings_warnings(settings, project_dir)
    errors = [p for p in findings if p.severity == "error"]
    if errors:
        raise PicError(findings)
    return Checked(settings, registry, sorted(findings))
