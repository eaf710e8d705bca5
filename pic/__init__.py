"""pic: the registry, settings, renderers and command line of the hosting platform.

This package never imports Pulumi: it is plain data and text, so it can be
tested and run (``pic check``, ``pic report``) without the engine or any
credentials.
"""

__version__ = "0.1.0"


def run() -> None:
    """The ``pic`` command of the shell (its console script) and ``python -m pic``: :func:`pic.cli.run_command`,
    which exits with the command's status.

    Python's cyclic garbage collector is paused before pic.cli's imports, which make the objects the command keeps
    until it exits (its modules, its models, its patterns): its passes over them, about 55 of them (20 ms) while
    ``pic check`` imports what it needs (bench/bench_check.py), would free nothing. ``run_command`` keeps it off
    for the command (its docstring says why); importing pic.cli alone, as the tests and the Pulumi program do,
    leaves the collector as it is.

    The patterns ``re`` compiles while pic.cli's modules are imported, and those the project compiles at their first
    use, are read from the file an earlier run wrote (:func:`pic.lazyre.read_bundle`), and written when this run
    compiled others (:func:`pic.lazyre.write_bundle`): about 200 patterns, 130 M instructions of each ``pic check``.

    Ctrl-C while pic.cli's modules are imported (most of a short command's time: 0.3 s of ``pic check``) ends it as
    ``run_command`` ends a command it interrupts: ``pic: interrupted`` on the standard error, status 130 (the shell's
    for a command ended by SIGINT, 128 + 2), no traceback; nothing when the standard error is closed or cannot be
    written, and nothing on the standard output then either."""
    import contextlib
    import gc
    import sys

    gc.disable()
    try:
        from pic import lazyre

        before = lazyre.read_bundle()
        from pic.cli import run_command
    except KeyboardInterrupt:
        stderr = sys.stderr  # None when the standard error is closed (2>&-): print would write on the standard output
        if stderr is not None:
            with contextlib.suppress(OSError):  # it cannot be written (2>/dev/full): Python's exit ignores it too
                print("pic: interrupted", file=stderr, flush=True)
        raise SystemExit(130) from None

    lazyre.keep_compiled_since(before)
    try:
        run_command()
    finally:
        # Ctrl-C as the file is written, the command done: its status stands, the file written whole or not at all
        with contextlib.suppress(KeyboardInterrupt):
            lazyre.write_bundle()
