"""The command line: ``cmdesk [COMMAND] [--profile DIR] …``.

Without a command it starts the desktop app. Every other command runs headless: nothing
here imports Qt (a test checks it), so the CLI works over SSH, in cron and in CI.
Errors the user can act on are printed as one sentence with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from cmdesk import __version__
from cmdesk.cli import common


def build_parser() -> argparse.ArgumentParser:
    from cmdesk.cli import db, items

    parser = argparse.ArgumentParser(
        prog="cmdesk",
        description="CMDesk: one local inbox, moderation queue and reply library for your social accounts.",
    )
    parser.add_argument("--version", action="version", version=f"CMDesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="open the desktop app (the default)")
    common.add_profile(gui)
    gui.add_argument("--lang", choices=("en", "fr"), help="interface language for this run")
    gui.set_defaults(func=run_gui)
    demo = sub.add_parser("demo", help="open the desktop app on the demo workspace (no account needed)")
    common.add_profile(demo, help="demo profile folder (default: a demo profile apart from your real one)")
    demo.add_argument("--lang", choices=("en", "fr"), help="interface language for this run")
    demo.add_argument("--reset", action="store_true", help="start the demo over from fresh data")
    demo.add_argument("--offline", action="store_true", help="no live simulators: only the stored demo history")
    demo.set_defaults(func=run_demo)
    items.register(sub)
    db.register(sub)
    for name in ("accounts", "sync", "templates", "moderation"):
        module = common.optional_module(name)
        if module is not None:
            module.register(sub)
    return parser


def run_gui(args) -> int:
    from cmdesk.app import main as app_main

    return app_main(profile=args.profile, lang=args.lang)


def run_demo(args) -> int:
    from cmdesk.app import main as app_main

    return app_main(profile=args.profile, lang=args.lang, demo=True, reset=args.reset, offline=args.offline)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        args = parser.parse_args(["gui", *argv])
    return common.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
