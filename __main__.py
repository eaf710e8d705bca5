"""The Pulumi program: load and validate the registry and the stack settings, then build the platform.

No logic lives here: a bad registry stops the run before any resource is
declared, with the same messages as `pic check`.
"""

import datetime as dt
from pathlib import Path

import pulumi

from pic.check import check
from pic.errors import PicError

HERE = Path(__file__).resolve().parent

try:
    checked = check(HERE, pulumi.get_stack(), HERE / "members", dt.date.today())
except PicError as exc:
    raise pulumi.RunError(f"the registry or the stack settings are invalid:\n{exc}") from None

settings, registry = checked.settings, checked.registry

pulumi.export("members", len(registry))
