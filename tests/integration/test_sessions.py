"""Server-side sessions and known browsers on SQLite and PostgreSQL: a session outlives the process that made it
and ends for every copy of its cookie on sign-out, idle timeout, account off and a new password; the database holds
only hashes; and guesses from other browsers never lock out a browser that signed in to the account before."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select

from rehab import services
from rehab.domain.records import AuditAction
from rehab.security import passwords
from rehab.security.sign_in_throttle import MAX_DELAY
from rehab.services import accounts, sessions
from rehab.services.accounts import Role, SignInFailed, SignInThrottled
from rehab.services.sessions import Ended
from rehab.storage import tables as t
from rehab.storage.db import make_engine
from rehab.storage.repository import Repository
from rehab.storage.transfer import export_data

SECRET = "correct horse battery"  # noqa: S105 - a test account's password
ADMIN = "ana@example.org"
CLINICIAN = "cleo@example.org"
T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
IDLE = 30
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                            type=Type.ID))


@pytest.fixture
def admin(repo) -> accounts.SignedIn:
    made = accounts.create_clinic_with_admin("Knee Clinic", ADMIN, "Ana Admin", SECRET, repo=repo)
    return accounts.account_for(made.id, repo=repo)


@pytest.fixture
def clinician(repo, admin) -> accounts.SignedIn:
    made = accounts.add_user(CLINICIAN, "Cleo", SECRET, role=Role.CLINICIAN, clinic_id=admin.clinic_id, repo=repo,
                             actor="test")
    return accounts.account_for(made.id, repo=repo)


def start(repo, account, now=T0, agent=AGENT) -> str:
    return sessions.start(account, agent, repo=repo, idle_minutes=IDLE, now=now)


def resume(repo, token, now=T0, touch=True) -> sessions.Resumed:
    return sessions.resume(token, repo=repo, idle_minutes=IDLE, now=now, touch=touch)


def stored(repo, table) -> str:
    with repo.engine.connect() as connection:
        return repr([tuple(row) for row in connection.execute(select(table))])


# --- sessions -------------------------------------------------------------------------------------------------


def test_a_session_signs_in_again_from_a_new_process_and_the_database_holds_only_its_hash(repo, admin, db_url):
    token = start(repo, admin)
    assert len(token) >= 43  # 256 random bits
    engine = make_engine(db_url)  # a restarted server: a new engine, nothing in memory
    try:
        resumed = resume(Repository(engine), token, T0 + dt.timedelta(minutes=1))
    finally:
        engine.dispose()
    assert resumed.account == admin and resumed.session_id is not None
    assert token not in stored(repo, t.sessions) and sessions.token_hash(token) in stored(repo, t.sessions)
    assert token not in stored(repo, t.audit_log)


def test_two_sign_ins_are_two_sessions_and_a_made_up_id_is_none(repo, admin):
    first, second = start(repo, admin), start(repo, admin)
    assert first != second
    assert resume(repo, first).session_id != resume(repo, second).session_id
    assert resume(repo, "made-up").ended == Ended.UNKNOWN
    assert resume(repo, "").ended == Ended.UNKNOWN and resume(repo, None).account is None


def test_sign_out_ends_every_copy_of_the_cookie_at_once(repo, admin):
    token = start(repo, admin)
    other = start(repo, admin)
    sessions.end(token, repo=repo)
    assert resume(repo, token).ended == Ended.UNKNOWN
    assert resume(repo, other).account == admin  # the person's other browser stays signed in
    assert services.audit.audit_trail(repo=repo)[0].action == AuditAction.ACCOUNT_SIGN_OUT
    assert services.audit.audit_trail(repo=repo)[0].actor == f"account {admin.clinician_id}"


def test_a_session_idle_for_the_timeout_ends_and_activity_keeps_it(repo, admin):
    token = start(repo, admin)
    assert resume(repo, token, T0 + dt.timedelta(minutes=IDLE - 1)).account == admin  # counts as activity
    assert resume(repo, token, T0 + dt.timedelta(minutes=2 * IDLE - 2)).account == admin
    assert resume(repo, token, T0 + dt.timedelta(minutes=3 * IDLE)).ended == Ended.IDLE
    assert resume(repo, token, T0 + dt.timedelta(minutes=3 * IDLE)).ended == Ended.UNKNOWN  # deleted


def test_the_timed_check_does_not_count_as_activity(repo, admin):
    token = start(repo, admin)
    for minutes in range(1, IDLE):
        assert resume(repo, token, T0 + dt.timedelta(minutes=minutes), touch=False).account == admin
    assert resume(repo, token, T0 + dt.timedelta(minutes=IDLE), touch=False).ended == Ended.IDLE


def test_turning_an_account_off_ends_its_sessions(repo, admin, clinician):
    token = start(repo, clinician)
    accounts.set_user_active(clinician.clinician_id, False, repo=repo, actor=admin)
    assert resume(repo, token).account is None
    accounts.set_user_active(clinician.clinician_id, True, repo=repo, actor=admin)
    assert resume(repo, token).account is None  # turning it on again does not bring the session back


def test_a_new_password_ends_the_other_sessions_and_an_admin_reset_ends_all(repo, admin, clinician):
    here, elsewhere = start(repo, clinician), start(repo, clinician)
    here_id = resume(repo, here).session_id
    accounts.change_own_password(SECRET, "a brand new passphrase", repo=repo, actor=clinician, keep_session=here_id)
    assert resume(repo, here).account == clinician
    assert resume(repo, elsewhere).account is None
    accounts.set_password(clinician.clinician_id, "another new passphrase", repo=repo, actor=admin)
    assert resume(repo, here).account is None


def test_a_person_lists_and_ends_only_their_own_sessions(repo, admin, clinician):
    mine = [start(repo, clinician, T0 + dt.timedelta(minutes=n)) for n in range(3)]
    theirs = start(repo, admin)
    listed = sessions.open_sessions(clinician, repo=repo, idle_minutes=IDLE, now=T0 + dt.timedelta(minutes=3))
    assert [s.created_at for s in listed] == [T0 + dt.timedelta(minutes=n) for n in (2, 1, 0)]  # newest first
    assert {s.user_agent for s in listed} == {AGENT}
    admin_session = resume(repo, theirs).session_id
    assert not sessions.end_session(admin_session, repo=repo, actor=clinician)  # not theirs
    assert resume(repo, theirs).account == admin
    assert sessions.end_session(listed[0].id, repo=repo, actor=clinician)
    assert resume(repo, mine[2]).account is None and resume(repo, mine[1]).account == clinician
    later = sessions.open_sessions(clinician, repo=repo, idle_minutes=IDLE,
                                   now=T0 + dt.timedelta(minutes=IDLE, seconds=30))
    assert [s.created_at for s in later] == [T0 + dt.timedelta(minutes=1)]  # the idle ones are not listed


def test_a_user_agent_is_stored_short_and_shown_as_two_plain_words(repo, admin):
    start(repo, admin, agent="x" * 5000 + "\n")
    [listed] = sessions.open_sessions(admin, repo=repo, idle_minutes=IDLE, now=T0)
    assert listed.user_agent == "x" * sessions.USER_AGENT_MAX
    assert sessions.describe_agent(AGENT) == "Chrome on Windows"
    assert sessions.describe_agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Firefox/140.0") == "Firefox on macOS"
    assert sessions.describe_agent("<b>evil</b>") == "A browser"


def test_sessions_and_known_browsers_are_not_exported(repo, admin):
    start(repo, admin)
    accounts.sign_in(ADMIN, SECRET, client_id="ip 1", device="device-1", repo=repo)
    tables = export_data(repo.engine)["tables"]
    assert "sessions" not in tables and "sign_in_devices" not in tables


# --- hole 5: guesses from everywhere cannot lock the real person out ------------------------------------------


def guess(repo, client: str, now: dt.datetime, device: str | None = None) -> None:
    with pytest.raises(SignInFailed):
        accounts.sign_in(ADMIN, "a wrong guess!!", client_id=client, device=device, repo=repo, now=now)


def test_guesses_from_rotating_browsers_do_not_lock_out_a_browser_that_signed_in_before(repo, admin):
    accounts.sign_in(ADMIN, SECRET, client_id="ip clinic", device="clinic-pc", repo=repo, now=T0)
    # The attack: ~15 failures from 15 addresses and browsers, then one every 15 minutes.
    now = T0 + dt.timedelta(minutes=1)
    for n in range(15):
        now += dt.timedelta(seconds=MAX_DELAY.total_seconds())  # each guess waits out the lock it met
        guess(repo, f"ip 10.0.0.{n}", now, device=f"attacker-{n}")
    with pytest.raises(SignInThrottled):  # strangers are slowed down: the account is locked for them
        accounts.sign_in(ADMIN, SECRET, client_id="ip 10.9.9.9", device="new-laptop", repo=repo, now=now)
    # The clinician's own browser signs in at once, even from the attackers' address.
    assert accounts.sign_in(ADMIN, SECRET, client_id="ip 10.0.0.1", device="clinic-pc", repo=repo,
                            now=now).email == ADMIN


def test_a_known_browser_is_still_throttled_on_its_own_failures(repo, admin):
    accounts.sign_in(ADMIN, SECRET, client_id="ip clinic", device="clinic-pc", repo=repo, now=T0)
    for _ in range(5):
        guess(repo, "ip clinic", T0, device="clinic-pc")
    with pytest.raises(SignInThrottled):
        accounts.sign_in(ADMIN, SECRET, client_id="ip clinic", device="clinic-pc", repo=repo, now=T0)
    assert accounts.sign_in(ADMIN, SECRET, client_id="ip clinic", device="clinic-pc", repo=repo,
                            now=T0 + dt.timedelta(seconds=2)).email == ADMIN


def test_a_device_cookie_counts_only_for_the_account_it_signed_in_to(repo, admin, clinician):
    accounts.sign_in(CLINICIAN, SECRET, client_id="ip a", device="shared", repo=repo, now=T0)
    for _ in range(5):
        guess(repo, "ip a", T0, device="shared")  # known to Cleo's account, not to Ana's: counted as a stranger
    with pytest.raises(SignInThrottled):
        accounts.sign_in(ADMIN, SECRET, client_id="ip b", device="shared", repo=repo, now=T0)
    assert accounts.sign_in(CLINICIAN, SECRET, client_id="ip a", device="shared", repo=repo, now=T0).email == CLINICIAN


def test_the_device_cookie_is_stored_only_as_a_hash(repo, admin):
    accounts.sign_in(ADMIN, SECRET, client_id="ip a", device="device-cookie-value", repo=repo, now=T0)
    for _ in range(2):
        guess(repo, "ip a", T0, device="device-cookie-value")
    assert "device-cookie-value" not in stored(repo, t.sign_in_devices) + stored(repo, t.sign_in_throttle)


def test_admins_are_told_about_accounts_strangers_keep_failing_on(repo, admin, clinician):
    failed_at = T0 + dt.timedelta(hours=1)
    for n in range(4):
        with pytest.raises(SignInFailed):
            accounts.sign_in(CLINICIAN, "a wrong guess!!", client_id=f"ip {n}", repo=repo, now=failed_at)
    assert accounts.sign_in_warnings(repo=repo, actor=admin, now=failed_at) == []  # a few typos are normal
    with pytest.raises(SignInFailed):
        accounts.sign_in(CLINICIAN, "a wrong guess!!", client_id="ip 9", repo=repo, now=failed_at)
    [warning] = accounts.sign_in_warnings(repo=repo, actor=admin, now=failed_at + dt.timedelta(hours=2))
    assert (warning.account.email, warning.failures, warning.last_failed_at) == (CLINICIAN, 5, failed_at)
    assert accounts.sign_in_warnings(repo=repo, actor=admin, now=failed_at + dt.timedelta(days=1)) == []
    with pytest.raises(accounts.AccountError):
        accounts.sign_in_warnings(repo=repo, actor=clinician)  # admins only
