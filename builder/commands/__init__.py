"""One module per command of `broadsheet`: arguments -> calls into the stages -> what is printed, exit codes.

builder/cli.py only wires them into one command group. Exit codes: 0 success, 1 content or
configuration errors, 2 usage errors.
"""
