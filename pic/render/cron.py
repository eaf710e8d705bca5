"""Members' cron jobs on the web host: one systemd timer and service per job, run in the site's container.

Job ``n`` (1-based) of member ``<slug>`` is ``pic-cron-<slug>-<n>.timer`` (its
schedule as ``OnCalendar=``, :func:`pic.cron.calendar`) starting
``pic-cron-<slug>-<n>.service``, which runs the runner (:func:`render_runner`):
``docker exec -u <uid>:<uid> -w /srv/site/www pic-site-<slug>`` and, inside the
container, ``timeout -k 10 <timeout> sh -c -- <command>`` with its output appended
to the member's ``log/cron.log`` (rotated with the other logs), a line before and
after each run. The time limit is enforced inside the container: stopping the
``docker exec`` client would leave the job running (Docker does not forward the
end of the client to the process it started). The command text is in a file
of its own (``/etc/pic/cron/<slug>/<n>.command``), never in a unit, so that no
systemd expansion applies to it. Each output is checked by the program that
reads it: ``systemd-analyze verify`` (units), ``systemd-analyze calendar``,
shellcheck (scripts).
"""

from __future__ import annotations

from dataclasses import dataclass

from pic import cron
from pic.registry import MAX_CRON_JOBS, Member
from pic.render import render
from pic.render.web import SITE_ROOT, site_container_name

RUNNER = "/usr/local/lib/pic/member-cron"
UNITS_DIR = "/etc/systemd/system"
COMMANDS_DIR = "/etc/pic/cron"
LOG_FILE = f"{SITE_ROOT}/log/cron.log"
WORKDIR = f"{SITE_ROOT}/www"
KILL_AFTER = 10  # seconds between timeout's TERM and its KILL
# systemd's own limit on the service, past the job's: a stuck docker client is stopped too.
SERVICE_MARGIN = 60


@dataclass(frozen=True)
class Job:
    """One cron job of a member, as the web host runs it."""

    slug: str
    index: int  # 1-based
    calendar: cron.Calendar
    command: str
    timeout: int

    @property
    def unit(self) -> str:
        return f"pic-cron-{self.slug}-{self.index}"

    @property
    def command_file(self) -> str:
        return f"{COMMANDS_DIR}/{self.slug}/{self.index}.command"


def job_globs(first: int, last: int) -> list[str]:
    """Shell globs that match exactly the job numbers ``first`` to ``last`` (written without leading zeros).

    One bracket expression for the one-digit numbers (``[3-9]``), each larger number as itself (jobs
    are at most :data:`pic.registry.MAX_CRON_JOBS`): unlike ``pic-cron-<slug>-*``, which also matches
    ``pic-cron-<slug>-b-1`` of member ``<slug>-b``, ``pic-cron-<slug>-[1-9]`` names this member's units
    only, on the host and for ``pic plan``, which reads a removal's globs (pic.plan.diff.removed_paths).
    """
    out = []
    low, high = max(first, 1), min(last, 9)
    if low <= high:
        out.append(str(low) if low == high else f"[{low}-{high}]")
    out += [str(n) for n in range(max(first, 10), last + 1)]
    return out


def jobs(member: Member) -> list[Job]:
    """The member's jobs in file order; spread minutes come from the slug and the job's place."""
    return [
        Job(member.slug, i, cron.calendar(job.schedule, member.slug, i), job.command, job.timeout)
        for i, job in enumerate(member.spec.cron, start=1)
    ]


def render_runner(*, log_file: str = LOG_FILE, workdir: str = WORKDIR) -> str:
    """The runner: ``member-cron CONTAINER UID SECONDS JOB COMMAND_FILE`` (shell, checked by shellcheck)."""
    return render("cron/member-cron.sh.j2", log_file=log_file, workdir=workdir, kill_after=KILL_AFTER)


def render_service(member: Member, job: Job, *, runner: str = RUNNER) -> str:
    """The job's oneshot service: the runner with the container, uid, time limit, job number and command file."""
    return render(
        "cron/pic-cron.service.j2",
        job=job,
        member=member,
        runner=runner,
        container=site_container_name(member.slug),
        limit=job.timeout + KILL_AFTER + SERVICE_MARGIN,
    )


def render_timer(member: Member, job: Job) -> str:
    """The job's timer: its schedule as ``OnCalendar=``."""
    return render("cron/pic-cron.timer.j2", job=job, member=member)


def render_install_script(member: Member) -> str:
    """Install the runner, the member's command files and units, remove its jobs beyond the current ones,
    start the timers."""
    current = jobs(member)
    return render(
        "cron/install.sh.j2",
        slug=member.slug,
        jobs=[(j, render_service(member, j), render_timer(member, j)) for j in current],
        leftover=job_globs(len(current) + 1, MAX_CRON_JOBS),
        runner=RUNNER,
        runner_text=render_runner(),
        commands_dir=f"{COMMANDS_DIR}/{member.slug}",
        units_dir=UNITS_DIR,
    )


def render_remove_script(member: Member) -> str:
    """Stop and remove every cron job of the member (its site stopped, or it has no job any more)."""
    return render(
        "cron/remove.sh.j2",
        slug=member.slug,
        commands_dir=f"{COMMANDS_DIR}/{member.slug}",
        units_dir=UNITS_DIR,
        globs=job_globs(1, MAX_CRON_JOBS),
    )
