"""Rendering for the nightly measurement of the members' disk usage on a web host.

:func:`render_disk_usage_script` writes ``/var/lib/pic/disk-usage.tsv`` (the
format :mod:`pic.diskusage` reads: slug, then KiB of ``www/``, ``db/``,
``log/``); :func:`render_disk_usage_units` runs it every night at
``pic:disk.time``. Both are installed by the web host setup.
"""

from __future__ import annotations

from pic.diskusage import HOST_FILE
from pic.render import render
from pic.settings import Settings

SCRIPT = "/usr/local/lib/pic/disk-usage"
MEASURED_DIRS = ("www", "db", "log")


def render_disk_usage_script(
    settings: Settings, host: str, *, members_root: str | None = None, output: str = HOST_FILE
) -> str:
    """The measurement: ``du -sk`` of each member's www/, db/ and log/ under ``members_root``."""
    return render(
        "disk-usage.sh.j2",
        host=host,
        members_root=members_root or settings.members_root,
        output=output,
        dirs=MEASURED_DIRS,
    )


def render_disk_usage_units(settings: Settings, *, script: str = SCRIPT) -> dict[str, str]:
    """``pic-disk-usage.service`` and ``.timer`` (every night at ``pic:disk.time``), by file name."""
    return {
        "pic-disk-usage.service": render("pic-disk-usage.service.j2", script=script),
        "pic-disk-usage.timer": render("pic-disk-usage.timer.j2", time=settings.disk.time),
    }
