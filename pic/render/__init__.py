"""The render layer: pure functions from settings and members to the text of files and scripts.

Templates sit next to the module that fills them (``pic/render/templates/``).
Rendering never touches the network or Pulumi, so each output can be checked
by the real program that reads it (apache2 -t, sshd -t, shellcheck, ...).
"""

from __future__ import annotations

import shlex
from functools import cache

import jinja2

TEMPLATES = "templates"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pic.render", TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - config files and shell scripts, not HTML
    )
    env.filters["shquote"] = shlex.quote
    return env


def render(template: str, **context: object) -> str:
    """Fill ``pic/render/templates/<template>`` with ``context``; a missing variable is an error."""
    return environment().get_template(template).render(**context)
