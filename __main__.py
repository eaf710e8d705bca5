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

# --- Database host: MariaDB and its CA, one MemberDatabase per database, nightly dumps per web host ---
from components.backup import DumpJob, dump_job_args  # noqa: E402
from components.db_host import DbHost, db_host_args  # noqa: E402
from components.member_database import MemberDatabase, component_name, member_database_args  # noqa: E402

db_host = DbHost(settings.db_host, db_host_args(settings))
member_databases = [
    MemberDatabase(component_name(database), member_database_args(settings, member, database, db_host))
    for member in registry
    for database in member.databases
]
dump_jobs = [DumpJob(f"{web}-dumps", dump_job_args(settings, registry, web, db_host)) for web in settings.web_hosts]
pulumi.export("databases", len(member_databases))
