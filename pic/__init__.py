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
    until it exits (its modules, its models, its patterns): its passes over them, about 56 of them (20 ms) while
    ``pic check`` imports what it needs (bench/bench_check.py), would free nothing. ``run_command`` keeps it off
    for the command (its docstring says why); importing pic.cli alone, as the tests and the Pulumi program do,
    leaves the collector as it is."""
    import gc

    gc.disable()
    from pic.cli import run_command

    run_command()
