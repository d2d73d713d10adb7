"""``python -m rehab reminders --base-url URL``: queue today's patient-link reminder emails (run it daily, beside
``outbox send``, which sends them). Prints a count only, never an address."""

from __future__ import annotations

import argparse

from ..config import Settings
from ..services import bootstrap, link_reminders


def cmd_reminders(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    repo = bootstrap.connect(settings)
    try:
        count = link_reminders.queue_due_reminders(repo=repo, settings=settings, base_url=args.base_url)
    finally:
        repo.engine.dispose()
    print(f"queued {count} reminder email{'s' if count != 1 else ''}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("reminders", help="queue today's reminder emails patients asked for on their link page")
    p.add_argument("--base-url", required=True, metavar="URL",
                   help="the app's address patients reach, e.g. https://clinic.example.org (for the stop link)")
    p.set_defaults(func=cmd_reminders)
