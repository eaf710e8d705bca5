"""Subcommands with a home of their own: each module adds its parser and runs it."""
