"""Helpers shared by the CLI commands: the --profile option, opening a workspace, errors."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from cmdesk import profile as profiles
from cmdesk.store.errors import StoreError


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def add_profile(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help=help or "profile folder (default: $CMDESK_HOME, else your user data folder)",
    )


def workspace(args, *, lock: bool = False):
    from cmdesk.services.workspace import open_workspace

    return open_workspace(profiles.resolve(args.profile), lock=lock)


def optional_module(name: str):
    """A command module that a later part of CMDesk adds (absent modules are simply not offered)."""
    try:
        return importlib.import_module(f"cmdesk.cli.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"cmdesk.cli.{name}":
            return None
        raise


def run(args) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from cmdesk.core.redaction import SecretFilter

    for handler in logging.getLogger().handlers:
        handler.addFilter(SecretFilter())
    try:
        return int(args.func(args) or 0)
    except (UserError, StoreError) as exc:
        print(f"cmdesk: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `cmdesk export … | head` is fine
        return 0
    except KeyboardInterrupt:
        print("cmdesk: interrupted", file=sys.stderr)
        return 130
