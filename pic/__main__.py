from pic import run

run()
