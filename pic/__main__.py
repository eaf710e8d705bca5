from pic.cli import run_command

run_command()
