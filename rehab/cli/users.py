"""Account commands: ``user add`` and ``user password`` (a new password for someone who forgot theirs).

The password never comes from the command line (it would stay in the shell history and the process list): it is
read from REHAB_NEW_USER_PASSWORD, or typed twice at a hidden prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os

PASSWORD_VARIABLE = "REHAB_NEW_USER_PASSWORD"  # noqa: S105 - the name of a variable, not a password
CLI_ACTOR = "command line"


def _password(email: str) -> str:
    from ..security.passwords import password_problems
    from ..services.accounts import AccountError

    given = os.environ.get(PASSWORD_VARIABLE)
    if given:
        return given
    first = getpass.getpass("New password (at least 12 characters): ")
    problems = password_problems(first, email)
    if problems:
        raise AccountError(problems + ["Nothing was saved."])
    if getpass.getpass("Type it again: ") != first:
        raise AccountError(["The two passwords are not the same. Nothing was saved."])
    return first


def _clinic_for(args: argparse.Namespace, names: dict[int, str]) -> int:
    from ..services.accounts import AccountError

    if args.clinic_id is not None:
        return args.clinic_id
    if len(names) == 1:
        return next(iter(names))
    listed = ", ".join(f"{clinic_id} ({name or 'no name yet'})" for clinic_id, name in names.items())
    raise AccountError([f"This database has several clinics: {listed}. Choose one with --clinic-id."])


def cmd_user_add(args: argparse.Namespace) -> int:
    from ..services import accounts, database

    if args.clinic_name is not None and not args.admin:
        raise accounts.AccountError(["--clinic-name makes a new clinic; its first account must be an --admin."])
    if args.clinic_name is not None and args.clinic_id is not None:
        raise accounts.AccountError(["Give --clinic-name (a new clinic) or --clinic-id (an existing one), not both."])
    if args.emergency_number is not None and args.clinic_name is None:
        raise accounts.AccountError(["--emergency-number belongs to a new clinic (--clinic-name); change an existing "
                                     "clinic's number on Clinic settings."])
    with database.opened() as repo:
        first_run = not accounts.any_account_exists(repo=repo)
        if first_run and (not args.admin or args.clinic_name is None):
            raise accounts.AccountError(
                ["No account exists yet: the first one is the clinic's admin. Add --admin --clinic-name NAME."]
            )
        password = _password(args.email)
        if first_run:
            account = accounts.create_clinic_with_admin(args.clinic_name, args.email, args.name, password, repo=repo,
                                                        emergency_number=args.emergency_number)
        elif args.clinic_name is not None:
            account = accounts.add_clinic_with_admin(
                args.clinic_name, args.email, args.name, password, repo=repo, actor=CLI_ACTOR,
                emergency_number=args.emergency_number,
            )
        else:
            role = accounts.Role.ADMIN if args.admin else accounts.Role.CLINICIAN
            clinic_id = _clinic_for(args, accounts.clinic_names(repo=repo))
            account = accounts.add_user(
                args.email, args.name, password, role=role, clinic_id=clinic_id, repo=repo, actor=CLI_ACTOR
            )
    print(f"added {account.role.value} account {account.id} to clinic {account.clinic_id}")
    return 0


def _one_account(found: list, args: argparse.Namespace):
    """The account ``user password`` changes: the email's only one, or the one in ``--clinic-id``."""
    from ..services.accounts import AccountError

    if args.clinic_id is not None:
        found = [account for account in found if account.clinic_id == args.clinic_id]
    if not found:
        where = f" in clinic {args.clinic_id}" if args.clinic_id is not None else ""
        raise AccountError([f"email: no account signs in with {args.email.strip()!r}{where}. Nothing was changed."])
    if len(found) > 1:
        clinics = ", ".join(str(account.clinic_id) for account in found)
        raise AccountError([f"email: this address has an account in clinics {clinics}. Choose one with "
                            "--clinic-id. Nothing was changed."])
    return found[0]


def cmd_user_password(args: argparse.Namespace) -> int:
    from ..services import accounts, database

    with database.opened() as repo:
        account = _one_account(accounts.accounts_by_email(args.email, repo=repo), args)
        accounts.set_password(account.id, _password(account.email), repo=repo, actor=CLI_ACTOR)
    print(f"new password set for account {account.id}; tell the person in person or by phone")
    return 0


def register(subparsers) -> None:
    user = subparsers.add_parser("user", help="clinician accounts")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", parser_class=type(user))
    actions.required = True
    p = actions.add_parser(
        "add",
        help="add an account (the first one makes the clinic and its admin)",
        description=f"The password is read from {PASSWORD_VARIABLE}, or asked for twice; never give it as an option.",
    )
    p.add_argument("--email", required=True, help="the email the person signs in with")
    p.add_argument("--name", required=True, help="the person's name")
    p.add_argument("--admin", action="store_true", help="may change clinic settings and accounts")
    p.add_argument("--clinic-name", metavar="NAME", help="make a new clinic with this name (first run, or another)")
    p.add_argument("--emergency-number", metavar="NUMBER",
                   help="with --clinic-name: the local emergency number the handouts print (default 112)")
    p.add_argument("--clinic-id", type=int, metavar="ID", help="add to this existing clinic (needed when several)")
    p.set_defaults(func=cmd_user_add)
    p = actions.add_parser(
        "password",
        help="set a new password for an account (someone who forgot theirs)",
        description=f"The password is read from {PASSWORD_VARIABLE}, or asked for twice; never give it as an option. "
        "The person can change it in the app afterwards (Your account).",
    )
    p.add_argument("--email", required=True, help="the email the person signs in with")
    p.add_argument("--clinic-id", type=int, metavar="ID",
                   help="the clinic whose account it is (needed when the email has accounts in several)")
    p.set_defaults(func=cmd_user_password)
