"""The command line: ``python -m supplementary_scripts COMMAND [options]``, from the
repository root, with the project's venv; ``COMMAND --help`` says what each measures."""

import argparse
import sys

import requests

from . import api, build, load, replicas, scale, throughput, timing, writes
from .harness import PROG, BenchmarkError, Run

#: Each command's module: its docstring is the help, ``add_arguments(parser)`` its options,
#: ``run(args)`` the run (``args.run``: the ``Run``, for the report), returning the exit status.
COMMANDS = {
    "build": build,
    "writes": writes,
    "http": api,
    "timing": timing,
    "load": load,
    "replicas": replicas,
    "scale": scale,
    "throughput": throughput,
}


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    commands = found.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        command = commands.add_parser(
            name,
            help=module.__doc__.split("\n\n")[0].replace("\n", " "),
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
    return found


def main(argv=None) -> int:
    """Exit status 0 on success, 1 when the benchmark cannot go on, 2 when a server is not
    reachable."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(argv)
    args.run = Run(argv, getattr(args, "output", None))
    try:
        return COMMANDS[args.command].run(args)
    except requests.ConnectionError as error:
        print(f"Cannot reach the server: {error}", file=sys.stderr)
        return 2
    except BenchmarkError as error:
        print(f"{args.command} failed: {error}", file=sys.stderr)
        return 1
