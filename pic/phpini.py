"""PHP settings of the sites: the platform's production defaults and what a member may set.

Pure data and checks, shared by the registry (``site.php_settings`` of a member file), the
runtime images (their ``conf.d`` file) and the member's virtual host.

Sizes follow PHP's shorthand (an integer of bytes, or with a suffix ``K``, ``M`` or ``G``: PHP
manual, "Using PHP > FAQ > shorthandbytes"); times are whole seconds.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

Kind = Literal["size", "seconds", "count", "flag", "timezone"]

# The extensions every runtime gets: Debian's package name (php<version>-<name>) -> the modules it
# loads, as PHP names them (extension_loaded()). exif comes with php<version>-common, OPcache is a
# package of its own before PHP 8.5. On bullseye php7.4-imagick is a name that Debian's
# php-imagick provides (apt installs it for that name); from bookworm on it is a package.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "mysql": ("mysqli", "pdo_mysql"),
    "gd": ("gd",),
    "intl": ("intl",),
    "zip": ("zip",),
    "mbstring": ("mbstring",),
    "xml": ("xml", "dom"),
    "curl": ("curl",),
    "bcmath": ("bcmath",),
    "imagick": ("imagick",),
}
ExtensionPackage = Literal["mysql", "gd", "intl", "zip", "mbstring", "xml", "curl", "bcmath", "imagick"]
BUILTIN_MODULES = ("exif",)

_SIZE = re.compile(r"([1-9][0-9]{0,12})([KMG]?)")
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
MiB = 1024**2

# The platform's defaults, written into every runtime image's conf.d (php-pic.ini.j2 says the
# source of each figure): uploads of 20 MB fit; the rest is php.ini-production's.
DEFAULTS: dict[str, str] = {
    "memory_limit": "128M",
    "upload_max_filesize": "32M",
    "post_max_size": "40M",
    "max_execution_time": "30",
    "max_input_time": "60",
    "max_input_vars": "1000",
    "session.gc_maxlifetime": "1440",
    "date.timezone": "UTC",
}


@dataclass(frozen=True)
class Rule:
    """One ini key a member may set: its kind and bounds (inclusive; bytes for sizes)."""

    kind: Kind
    low: int = 0
    high: int = 0
    why: str = ""

    def describe(self) -> str:
        if self.kind == "flag":
            return "true or false"
        if self.kind == "timezone":
            return "a time zone name of the tz database, such as Europe/Paris"
        if self.kind == "size":
            return f"a size from {_show_size(self.low)} to {_show_size(self.high)}, such as 64M"
        unit = " seconds" if self.kind == "seconds" else ""
        return f"a whole number from {self.low} to {self.high}{unit}"


def _show_size(n: int) -> str:
    for suffix in ("G", "M", "K"):
        if n % _UNITS[suffix] == 0:
            return f"{n // _UNITS[suffix]}{suffix}"
    return str(n)


# The allow-list. Bounds: memory never above 1 GiB (a site's container has pic:limits.memory_mb,
# 256 MB in the example settings, and a request cannot use more than its container); uploads up
# to 512 MiB (the container's /tmp, where PHP keeps an upload in flight, is 64 MB: larger files
# need an application that writes chunks elsewhere; the bound only stops typing mistakes such as
# 32G); 10 minutes of execution or input at most, since the front proxy waits for an answer
# (Caddy's reverse_proxy has no read timeout by default, but a worker held 10 minutes is one of
# the container's few); max_input_vars up to 100000 (big menus and shop settings need a few
# thousand; PHP hashes the inputs, so no hash-flooding concern remains since PHP 5.3.9);
# sessions idle up to 30 days.
RULES: dict[str, Rule] = {
    "memory_limit": Rule("size", 16 * MiB, 1024 * MiB),
    "upload_max_filesize": Rule("size", 1 * MiB, 512 * MiB),
    "post_max_size": Rule("size", 1 * MiB, 512 * MiB),
    "max_execution_time": Rule("seconds", 1, 600),
    "max_input_time": Rule("seconds", 1, 600),
    "max_input_vars": Rule("count", 100, 100_000),
    "session.gc_maxlifetime": Rule("seconds", 60, 30 * 86400),
    "display_errors": Rule("flag"),
    "date.timezone": Rule("timezone"),
}


@cache
def timezones() -> frozenset[str]:
    """The tz database's zone names (the system's, through :mod:`zoneinfo`)."""
    return frozenset(zoneinfo.available_timezones())


def size_bytes(value: str) -> int | None:
    """Bytes of a PHP shorthand size ("32M" -> 33554432), or None when it is not one."""
    m = _SIZE.fullmatch(value)
    return None if m is None else int(m.group(1)) * _UNITS[m.group(2)]


def problem(key: str, value: object) -> str | None:
    """Why ``value`` is refused for ini key ``key``, or None when it is allowed.

    Sizes are strings or whole numbers of bytes; seconds and counts whole numbers; flags
    booleans; time zones names of :func:`timezones`.
    """
    rule = RULES.get(key)
    if rule is None:
        return f"is not a PHP setting a member may set; allowed: {', '.join(sorted(RULES))}"
    if rule.kind == "flag":
        return None if isinstance(value, bool) else f"must be {rule.describe()}"
    if rule.kind == "timezone":
        return None if isinstance(value, str) and value in timezones() else f"must be {rule.describe()}"
    if isinstance(value, bool) or not isinstance(value, int | str):
        return f"must be {rule.describe()}"
    if rule.kind == "size":
        n = value if isinstance(value, int) else size_bytes(value)
    else:
        n = value if isinstance(value, int) else None
    if n is None or not rule.low <= n <= rule.high:
        return f"must be {rule.describe()}"
    return None


def ini_value(value: object) -> str:
    """The text of an allowed value in an Apache ``php_admin_value``/``php_admin_flag`` line."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def effective_bytes(settings: Mapping[str, object], key: str) -> int:
    """Bytes of size ``key`` for a site: the member's value, else the platform's default."""
    value = settings.get(key, DEFAULTS[key])
    n = value if isinstance(value, int) else size_bytes(str(value))
    if n is None:
        raise ValueError(f"{key}: {value!r} is not a size")
    return n
