"""The gate in app.py, in AppTest: first-run setup, the sign-in page and the results its route reports, sign-out
ending the server-side session, the idle timeout, turned-off accounts, admin-only pages, the list of sessions on
Your account, and records scoped to the signed-in clinic. The sign-in route itself is tested over HTTP in
tests/integration/test_sign_in_route.py, and the cookie in a real browser in tests/e2e/test_sessions_flow.py."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.domain.records import AuditAction
from rehab.security import passwords
from rehab.services import accounts, sessions
from rehab.services.accounts import Role
from rehab.storage import tables
from rehab.storage.repository import Repository, utc_now
from tests.conftest import ROOT
from ui.auth_session import SESSION_TOKEN
from ui.context import SIGNED_IN_ACCOUNT
from ui.text import md

APP = str(ROOT / "app.py")
PASSWORD = "a long test passphrase"  # noqa: S105 - a test account's password
ADMIN = "ana@example.org"
APP_PAGES = ["build", "review", "patients", "library", "templates", "password"]
ADMIN_PAGES = ["settings", "accounts", "audit"]
T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
HOSTILE = ["O'Brien & <Sons>", "Łukasz Żółć", "Ολυμπία", "Юлия", "<script>alert(1)</script>"]


@pytest.fixture
def signed_in_app():
    """Overrides tests/app/conftest.py: these tests start signed out."""
    return None


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                            type=Type.ID))


@pytest.fixture
def repo(app_database) -> Repository:
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))
    yield repo
    repo.engine.dispose()


@pytest.fixture
def admin(repo) -> accounts.Account:
    return accounts.create_clinic_with_admin("Knee Clinic", ADMIN, "Ana Admin", PASSWORD, repo=repo)


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def reachable(at: AppTest, page: str) -> bool:
    """Whether navigation lists the page: AppTest.switch_page refuses a page st.navigation did not register."""
    try:
        at.switch_page(f"app_pages/{page}.py")
    except ValueError:
        return False
    return True


# --- first run ----------------------------------------------------------------------------------------------------


def test_with_no_account_only_the_setup_page_is_shown(repo):
    at = new_app()
    assert titles(at) == ["Set up your clinic"]
    assert not any(reachable(at, page) for page in [*APP_PAGES, *ADMIN_PAGES, "sign_in"])
    assert not at.sidebar.button


def signed_in_caption(at: AppTest) -> str:
    """The sidebar's "Signed in as …" line (below the page links and their section captions)."""
    return next(c.value for c in at.sidebar.caption if c.value.startswith("Signed in as"))


def test_setup_makes_the_clinic_and_its_admin_then_asks_to_sign_in(repo):
    at = new_app()
    for key, value in {"setup_clinic": "O'Brien & <Sons> Physio", "setup_name": "Łukasz Żółć",
                       "setup_email": "Lukasz@Example.org", "setup_password": PASSWORD,
                       "setup_password_again": PASSWORD}.items():
        at.text_input(key=key).input(value)
    at.button(key="FormSubmitter:setup_form-Create the clinic and my account").click().run()
    assert not at.exception
    assert titles(at) == ["Sign in"]  # only the sign-in route can set the session cookie
    assert "Your clinic is set up." in at.info[0].value
    assert PASSWORD not in repr({key: at.session_state[key] for key in at.session_state})  # not kept
    clinic = services.clinic.get_clinic(repo=repo)
    assert clinic.name == "O'Brien & <Sons> Physio"
    assert [e.action for e in services.audit.audit_trail(repo=repo)] == [AuditAction.ACCOUNT_ADD]
    assert accounts.sign_in("lukasz@example.org", PASSWORD, client_id="t", repo=repo).name == "Łukasz Żółć"


def test_setup_problems_are_listed_and_nothing_is_made(repo):
    at = new_app()
    at.text_input(key="setup_clinic").input("Knee Clinic")
    at.text_input(key="setup_name").input("Ana")
    at.text_input(key="setup_email").input("not an email")
    at.text_input(key="setup_password").input("short")
    at.text_input(key="setup_password_again").input("short")
    at.button(key="FormSubmitter:setup_form-Create the clinic and my account").click().run()
    assert titles(at) == ["Set up your clinic"]
    [message] = errors(at)
    assert md("Email: type an address like name@example.org.") in message
    assert md("Password: use at least 12 characters.") in message
    at.text_input(key="setup_email").input("ana@example.org")
    at.text_input(key="setup_password").input(PASSWORD)
    at.text_input(key="setup_password_again").input(PASSWORD + "!")
    at.button(key="FormSubmitter:setup_form-Create the clinic and my account").click().run()
    assert "the two passwords are not the same" in errors(at)[0]
    assert not accounts.any_account_exists(repo=repo)


SETUP_SUBMIT = "FormSubmitter:setup_form-Create the clinic and my account"


def fill_setup(at, emergency: str | None) -> None:
    for key, value in {"setup_clinic": "Knee Clinic", "setup_name": "Ana Admin", "setup_email": "ana@example.org",
                       "setup_password": PASSWORD, "setup_password_again": PASSWORD}.items():
        at.text_input(key=key).input(value)
    if emergency is not None:
        at.text_input(key="setup_emergency").input(emergency)


def test_setup_shows_112_with_help_and_saves_the_local_number(repo):
    at = new_app()
    field = at.text_input(key="setup_emergency")
    assert field.value == "112" and "999" in field.help and "911" in field.help
    fill_setup(at, "999")
    at.button(key=SETUP_SUBMIT).click().run()
    assert not at.exception and titles(at) == ["Sign in"]  # setup done: now sign in with the new account
    assert services.clinic.get_clinic(repo=repo).emergency_number == "999"


def test_setup_keeps_112_when_left_as_it_is(repo):
    at = new_app()
    fill_setup(at, None)
    at.button(key=SETUP_SUBMIT).click().run()
    assert services.clinic.get_clinic(repo=repo).emergency_number == "112"


def test_a_bad_emergency_number_stops_setup_naming_the_field(repo):
    at = new_app()
    fill_setup(at, "911 or 112")
    at.button(key=SETUP_SUBMIT).click().run()
    assert titles(at) == ["Set up your clinic"]
    assert any(md("Emergency number: use digits and spaces") in e for e in errors(at))
    assert at.text_input(key="setup_emergency").value == "911 or 112"  # kept to fix, not lost
    assert not accounts.any_account_exists(repo=repo)


# --- signing in -----------------------------------------------------------------------------------------------


def test_a_browser_that_has_not_signed_in_gets_only_the_sign_in_page(admin):
    at = new_app()
    assert titles(at) == ["Sign in"]
    assert not any(reachable(at, page) for page in [*APP_PAGES, *ADMIN_PAGES, "setup"])


def sign_in_result(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(("query", "message"), [
    ({"sign_in": "failed"}, "Email or password is not right."),
    ({"sign_in": "empty"}, "Type your email and your password."),
    ({"sign_in": "wait", "seconds": "61"}, "Too many failed sign-ins. Wait 2 minutes, then try again."),
    ({"sign_in": "error"}, "The app cannot reach its database right now."),
])
def test_the_sign_in_page_says_what_the_sign_in_route_reported_once(admin, query, message):
    at = sign_in_result(query)
    assert titles(at) == ["Sign in"]
    assert errors(at)[0].startswith(message)
    assert not at.query_params  # cleared: a reload does not repeat the message
    at.run()
    assert not errors(at)


def test_a_made_up_result_or_wait_shows_nothing(admin):
    assert not errors(sign_in_result({"sign_in": "<script>"}))
    assert not errors(sign_in_result({"sign_in": "wait", "seconds": "soon"}))


def test_the_sign_in_form_posts_only_email_and_password_to_this_address():
    from app_pages import sign_in as page

    form = page._FORM
    assert 'method="post"' in form and "action=" not in form  # to the address it is shown at
    assert 'name="email"' in form and 'name="password"' in form and 'type="password"' in form


def start_session(repo: Repository, account_id: int, agent: str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
                  idle_minutes: int = 30) -> str:
    return sessions.start(accounts.account_for(account_id, repo=repo), agent, repo=repo, idle_minutes=idle_minutes)


def test_a_session_key_alone_does_not_sign_in(admin):
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["auth_clinician_id"] = admin.id  # what the gate remembers, without a live session
    at.session_state[SESSION_TOKEN] = "a made-up session id"
    at.run()
    assert titles(at) == ["Sign in"]
    assert not reachable(at, "patients")


def signed_in_as(repo: Repository, account_id: int) -> tuple[AppTest, str]:
    token = start_session(repo, account_id)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[SESSION_TOKEN] = token
    return at.run(), token


def idle_for(repo: Repository, token: str, minutes: int) -> None:
    with repo.transaction(write=True) as tx:
        tx.connection.execute(update(tables.sessions).where(tables.sessions.c.token_hash == sessions.token_hash(token))
                              .values(last_seen_at=utc_now() - dt.timedelta(minutes=minutes)))


def test_sign_out_ends_the_session_on_the_server_and_clears_the_screen(repo, admin):
    patient = services.patients.add_patient({"name": "Zoë Ñúñez"}, repo=repo, actor="test")
    at, token = signed_in_as(repo, admin.id)
    at.session_state["current_patient_id"] = patient.id
    at.run()
    at.sidebar.button(key="auth_sign_out").click().run()
    assert titles(at) == ["Sign in"]
    assert "You signed out." in at.info[0].value
    assert "current_patient_id" not in at.session_state
    assert SIGNED_IN_ACCOUNT not in at.session_state and SESSION_TOKEN not in at.session_state
    assert sessions.resume(token, repo=repo, idle_minutes=30).account is None  # a copied cookie is dead too
    assert services.audit.audit_trail(repo=repo)[0].action == AuditAction.ACCOUNT_SIGN_OUT


def test_after_the_idle_time_the_session_signs_out(monkeypatch, repo, admin):
    monkeypatch.setenv("REHAB_IDLE_MINUTES", "5")
    at, token = signed_in_as(repo, admin.id)
    idle_for(repo, token, 4)
    at.run()
    assert titles(at) == ["Build program"]
    idle_for(repo, token, 6)
    at.run()
    assert titles(at) == ["Sign in"]
    assert "signed out after 5 minutes without activity" in at.info[0].value


def test_a_turned_off_account_is_signed_out_at_its_next_click(repo, admin):
    other = accounts.add_user("cleo@example.org", "Cleo", PASSWORD, role=Role.CLINICIAN, clinic_id=admin.clinic_id,
                              repo=repo, actor="test")
    at, _ = signed_in_as(repo, other.id)
    assert titles(at) == ["Build program"]
    signed_admin = accounts.account_for(admin.id, repo=repo)
    accounts.set_user_active(other.id, False, repo=repo, actor=signed_admin)
    at.run()
    assert titles(at) == ["Sign in"]
    assert "your account was turned off" in at.info[0].value


def test_clinicians_do_not_get_the_admin_pages(repo, admin):
    clinician = accounts.add_user("cleo@example.org", "Cleo", PASSWORD, role=Role.CLINICIAN,
                                  clinic_id=admin.clinic_id, repo=repo, actor="test")
    at = signed_in_as(repo, clinician.id)[0]
    assert all(reachable(at, page) for page in APP_PAGES)
    assert not any(reachable(at, page) for page in ADMIN_PAGES)
    assert "(clinician)" in signed_in_caption(at)


# --- admin pages --------------------------------------------------------------------------------------------------


def accounts_page(repo: Repository, account_id: int) -> AppTest:
    at = signed_in_as(repo, account_id)[0]
    at.switch_page("app_pages/accounts.py").run()
    assert not at.exception
    return at


def test_an_admin_adds_a_clinician_and_turns_the_account_off(repo, admin):
    at = accounts_page(repo, admin.id)
    at.text_input(key="accounts_new_name").input(HOSTILE[0])
    at.text_input(key="accounts_new_email").input("obrien@example.org")
    at.text_input(key="accounts_new_password").input(PASSWORD)
    at.text_input(key="accounts_new_password_again").input(PASSWORD)
    at.button(key="FormSubmitter:accounts_add_form-Add account").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"Added {md(HOSTILE[0])} as clinician.")
    table = at.dataframe[0].value
    assert list(table["Name"]) == ["Ana Admin", "O'Brien & <Sons>"]  # shown literally
    assert list(table["Role"]) == ["Admin", "Clinician"]
    added = next(a for a in accounts.list_users(repo=repo, actor=accounts.account_for(admin.id, repo=repo))
                 if a.email == "obrien@example.org")
    assert at.selectbox(key="accounts_pick").options == ["O'Brien & <Sons> · obrien@example.org · on"]
    at.button(key="accounts_toggle").click().run()
    assert accounts.account_for(added.id, repo=repo) is None
    assert "can no longer sign in" in at.success[0].value
    assert list(at.dataframe[0].value["Can sign in"]) == ["Yes", "No (turned off)"]


def test_an_address_another_clinic_uses_is_added_like_any_new_one(repo, admin):
    """Hole 7 on the page: the answer must not depend on whether another clinic has an account for the address."""
    accounts.add_clinic_with_admin("Other clinic", "olga@example.org", "Olga", "olga's own passphrase", repo=repo,
                                   actor="test")
    at = accounts_page(repo, admin.id)
    at.text_input(key="accounts_new_name").input("Olga")
    at.text_input(key="accounts_new_email").input("olga@example.org")
    at.text_input(key="accounts_new_password").input(PASSWORD)
    at.text_input(key="accounts_new_password_again").input(PASSWORD)
    at.button(key="FormSubmitter:accounts_add_form-Add account").click().run()
    assert not errors(at) and at.success[0].value.startswith("Added Olga as clinician.")
    assert list(at.dataframe[0].value["Email"]) == ["ana@example.org", "olga@example.org"]


def test_adding_an_account_lists_every_problem(repo, admin):
    at = accounts_page(repo, admin.id)
    at.text_input(key="accounts_new_name").input("Cleo")
    at.text_input(key="accounts_new_email").input(ADMIN)
    at.text_input(key="accounts_new_password").input("x" * 20)
    at.text_input(key="accounts_new_password_again").input("x" * 20)
    at.button(key="FormSubmitter:accounts_add_form-Add account").click().run()
    [message] = errors(at)
    assert md("Password: do not repeat one character.") in message
    at.text_input(key="accounts_new_password").input(PASSWORD)
    at.text_input(key="accounts_new_password_again").input(PASSWORD)
    at.button(key="FormSubmitter:accounts_add_form-Add account").click().run()
    assert md(accounts.ADDRESS_IN_USE) in errors(at)[0]


def test_the_audit_log_shows_who_opened_which_patient_without_patient_text(repo, admin):
    patient = services.patients.add_patient({"name": HOSTILE[0], "notes": "private note"}, repo=repo, actor=ADMIN)
    at = signed_in_as(repo, admin.id)[0]
    at.switch_page("app_pages/patients.py").run()
    assert not at.exception
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    opened = table[table["Action"] == "patient.view"]
    assert list(opened["Patient"]) == [str(patient.id)] and list(opened["Who"]) == [ADMIN]
    assert list(table["Action"]) == ["patient.view", "patient.add", "account.add"]  # newest first
    assert list(table["What"]) == ["Opened a patient", "Added a patient", "Added an account"]
    shown = table.to_string() + " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert HOSTILE[0] not in shown and "private note" not in shown
    at.number_input(key="audit_patient").set_value(patient.id + 1).run()
    assert "No entries match" in at.info[0].value


# --- clinics ------------------------------------------------------------------------------------------------------


def test_each_clinic_sees_only_its_own_patients(repo, admin):
    services.patients.add_patient({"name": "Zoë Ñúñez"}, repo=repo, actor=ADMIN)
    other = accounts.add_clinic_with_admin("Other Clinic", "bo@example.org", "Bo", PASSWORD, repo=repo, actor="test")
    at = signed_in_as(repo, other.id)[0]
    at.switch_page("app_pages/patients.py").run()
    assert not at.exception
    assert "no patients yet" in at.info[0].value
    at.switch_page("app_pages/build.py").run()
    assert "Start here." in at.info[0].value  # the Build page, too, has no patient for clinic B
    mine = signed_in_as(repo, admin.id)[0]
    mine.switch_page("app_pages/patients.py").run()
    assert [r.value for r in mine.radio] and "Zoë Ñúñez" in mine.radio[0].options[0]


def test_every_audit_action_has_plain_words():
    from rehab.words.audit import ACTION_WORDS

    assert set(ACTION_WORDS) == set(AuditAction)


# --- passwords ----------------------------------------------------------------------------------------------------


def test_a_clinician_changes_their_own_password_on_your_account(repo, admin):
    clinician = accounts.add_user("cleo@example.org", "Cleo", PASSWORD, role=Role.CLINICIAN,
                                  clinic_id=admin.clinic_id, repo=repo, actor="test")
    elsewhere = start_session(repo, clinician.id)
    at = signed_in_as(repo, clinician.id)[0]
    at.switch_page("app_pages/password.py").run()
    assert titles(at) == ["Your account"]
    new = "a brand new passphrase"

    def change(current: str, first: str, again: str) -> None:
        at.text_input(key="password_current").input(current)
        at.text_input(key="password_new").input(first)
        at.text_input(key="password_again").input(again)
        at.button(key="FormSubmitter:password_form-Change my password").click().run()
        assert not at.exception

    change("not my password at all", new, new)
    assert "not your current password" in errors(at)[0]
    change(PASSWORD, new, new + "!")
    assert "not the same" in errors(at)[0]
    assert at.text_input(key="password_new").value == ""  # typed passwords never stay on the page
    assert sessions.resume(elsewhere, repo=repo, idle_minutes=30).account is not None  # failed tries end nothing
    change(PASSWORD, new, new)
    assert "Your password is changed." in at.success[0].value
    assert accounts.sign_in("cleo@example.org", new, client_id="t", repo=repo).clinician_id == clinician.id
    assert sessions.resume(elsewhere, repo=repo, idle_minutes=30).account is None  # the other browser is out
    at.run()
    assert titles(at) == ["Your account"]  # this one stays signed in


def test_your_account_lists_where_you_are_signed_in_and_ends_another_session(repo, admin):
    phone = start_session(repo, admin.id, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1")
    attacker = start_session(repo, admin.id, "<script>alert(1)</script> **bold**")
    at = signed_in_as(repo, admin.id)[0]
    at.switch_page("app_pages/password.py").run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert "**Firefox on Linux** · this browser" in shown
    assert "**Safari on iPhone**" in shown and "**A browser**" in shown  # the raw user agent is never shown
    assert not any("script" in m or "bold" in m for m in shown)
    end_buttons = [b for b in at.button if b.key and b.key.startswith("account_end_")]
    assert len(end_buttons) == 2  # not for this browser
    end_buttons[0].click().run()
    assert "That browser is signed out." in at.success[0].value
    alive = [sessions.resume(t, repo=repo, idle_minutes=30).account is not None for t in (phone, attacker)]
    assert sorted(alive) == [False, True]
    assert len([b for b in at.button if b.key and b.key.startswith("account_end_")]) == 1


def test_an_admin_sets_a_new_password_for_someone_who_forgot_theirs(repo, admin):
    clinician = accounts.add_user("cleo@example.org", HOSTILE[0], PASSWORD, role=Role.CLINICIAN,
                                  clinic_id=admin.clinic_id, repo=repo, actor="test")
    at = accounts_page(repo, admin.id)
    assert at.selectbox(key="accounts_reset_pick").options == ["O'Brien & <Sons> · cleo@example.org"]
    new = "a brand new passphrase"
    at.text_input(key="accounts_reset_password").input(new)
    at.text_input(key="accounts_reset_password_again").input(new)
    at.button(key="FormSubmitter:accounts_reset_form-Set the new password").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"New password set for {md(HOSTILE[0])}.")
    assert accounts.sign_in("cleo@example.org", new, client_id="t", repo=repo).clinician_id == clinician.id
    at.text_input(key="accounts_reset_password").input("short")
    at.text_input(key="accounts_reset_password_again").input("short")
    at.button(key="FormSubmitter:accounts_reset_form-Set the new password").click().run()
    assert "at least 12 characters" in errors(at)[0]


def test_the_audit_log_warns_admins_about_an_account_strangers_keep_failing_on(repo, admin):
    accounts.add_user("cleo@example.org", HOSTILE[0], PASSWORD, role=Role.CLINICIAN, clinic_id=admin.clinic_id,
                      repo=repo, actor="test")
    at = signed_in_as(repo, admin.id)[0]
    at.switch_page("app_pages/audit.py").run()
    assert not at.warning
    for n in range(5):  # from five browsers and addresses
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in("cleo@example.org", "a wrong guess!!", client_id=f"ip 10.0.0.{n}", repo=repo)
    at.run()
    [warning] = at.warning
    assert warning.value.startswith(f"**{md(HOSTILE[0])}** ({md('cleo@example.org')}): 5 failed sign-ins in a row")
