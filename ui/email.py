"""Email in the screens: the Email to patient form and the outbox panel (Build program, Patients, Review visit;
first part), and the Clinic settings page's mail server section with its test email (second part).

Email to patient, shared by the Build program and Patients pages: the form for one saved version, and a
patient's emails with Retry. The words come from rehab.words.email; sending from rehab.services.email.

The Clinic settings page's email section: the server settings (redacted) and a test email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from rehab import services
from rehab.config import SettingsError
from rehab.domain import Program
from rehab.domain.records import OutboxMessage, OutboxStatus, PatientRecord
from rehab.errors import InvalidEmail, MailDeliveryError, RehabError
from rehab.services.email import (
    EmailBlocked,
    email_handout,
    list_outbox,
    retry_now,
    send_test_email_in_time,
    setup_problem,
)
from rehab.words.email import (
    HOW_TO_RECORD_CONSENT,
    LOCKED_PDF_ADVICE,
    NO_ADDRESS,
    STATUS_LABELS,
    Words,
    can_retry,
    clock,
    consent_problems,
    describe,
    plain_problem,
    recipient_for,
    send_result,
)
from ui.context import actor, log, repository, settings, signed_in
from ui.text import md
from ui.widgets import kept

SETTINGS_PAGE = "app_pages/settings.py"
PATIENTS_PAGE = "app_pages/patients.py"
SHOWN_EMAILS = 20
_TONES = {"success": (st.success, ":material/mark_email_read:"), "waiting": (st.warning, ":material/schedule_send:"),
          "error": (st.error, ":material/error:")}
_BADGES = {OutboxStatus.SENT: "green", OutboxStatus.QUEUED: "orange", OutboxStatus.SENDING: "blue",
           OutboxStatus.FAILED: "red", OutboxStatus.UNKNOWN: "violet"}


def show(words: Words) -> None:
    box, icon = _TONES[words.tone]
    box(md(words.text), icon=icon)  # the text quotes an address and a server's reply


def _remember(key: str, words: Words) -> None:
    st.session_state[f"{key}_result"] = words


def _try(action: Callable[[], OutboxMessage], *, key: str, waited: float) -> None:
    """Run a send or a retry and keep what happened, in plain words, for this and later runs."""
    try:
        message = action()
    except EmailBlocked:  # the form checks consent first; this is the record changing meanwhile
        _remember(key, Words("error", "Not sent: the consent to email is missing on the patient or in this "
                                      "version. " + HOW_TO_RECORD_CONSENT))
    except (InvalidEmail, SettingsError) as exc:
        _remember(key, Words("error", "Not sent. " + plain_problem(str(exc))))
    except RehabError as exc:
        _remember(key, Words("error", f"Could not email the handout: {exc}"))
    except Exception:  # a bug: plain words here, the details in the server log (ids only, no patient data)
        log.exception("unexpected error while emailing a handout")
        _remember(key, Words("error", "Could not email the handout because of an unexpected problem. Try again, "
                                      "and tell your administrator if it keeps happening."))
    else:
        _remember(key, send_result(message, waited_seconds=waited))


def email_off(problem: str, *, key: str) -> None:
    st.info(problem, icon=":material/mail_lock:")
    account = signed_in()
    if account is not None and account.is_admin:  # only admins have the Clinic settings page
        st.page_link(SETTINGS_PAGE, label="Open Clinic settings", icon=":material/settings:")
    st.button("Email to patient", key=f"{key}_send_off", disabled=True, icon=":material/send:",
              help="Email is not set up yet: see Clinic settings.")


def email_form(
    *,
    program_id: int,
    version: int,
    program: Program,
    patient: PatientRecord,
    key: str,
    fix_version: Callable[[], None] | None = None,
) -> None:
    """Email one saved version to the patient: recipient, consent, an optional PDF password, then send.

    ``fix_version`` saves the program again (the Build page): offered when only the version lacks the consent.
    """
    config = settings()
    problem = setup_problem(config)
    if problem:
        email_off(problem, key=key)
        return
    to = recipient_for(program, patient)
    blocked = consent_problems(record_consent=patient.email_consent, version_consent=program.patient.email_consent,
                               version=version)
    ready = bool(to) and not blocked and not patient.archived
    facts_col, password_col = st.columns(2, gap="large")
    facts_col.markdown(f"**To:** {md(to) if to else 'no email address'}  \n"
                       f"**Email consent:** {'yes' if not blocked else 'missing'}  \n"
                       f"**Attached:** the handout of version {version} as a PDF")
    if patient.archived:
        st.warning("This patient is archived. Restore them on the Patients page to email a handout.")
    if blocked:
        st.warning("  \n".join(blocked), icon=":material/block:")  # our own words, no user text
        if fix_version is not None and patient.email_consent:
            st.button(f"Save as version {version + 1} with the consent", key=f"{key}_fix", on_click=fix_version,
                      icon=":material/save:")
        elif fix_version is not None:
            st.page_link(PATIENTS_PAGE, label="Open Patients to record the consent", icon=":material/group:")
    if not to:
        st.warning(NO_ADDRESS, icon=":material/alternate_email:")
    password = ""
    round_key = f"{key}_round"  # a new password box after each send, so the password is not kept
    if ready:
        with password_col:
            password = st.text_input("PDF password (optional)", type="password", autocomplete="new-password",
                                     key=f"{key}_password_{st.session_state.get(round_key, 0)}", max_chars=127,
                                     placeholder="Leave empty for no password")
            st.caption(LOCKED_PDF_ADVICE)
    if st.button("Email to patient", key=f"{key}_send", type="primary", icon=":material/send:", disabled=not ready):
        with st.spinner(f"Sending (waiting at most {config.smtp_timeout:g} seconds for the mail server)…"):
            _try(lambda: email_handout(program_id, version, repo=repository(), settings=config, actor=actor(),
                                       to=to, password=password or None), key=key, waited=config.smtp_timeout)
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1
        st.rerun()  # at once: the password box shows empty, and the page (and Emails) the new state
    result = st.session_state.get(f"{key}_result")
    if result is not None:
        show(result)


# --- a patient's emails ---------------------------------------------------------------------------------------


def _program_titles(patient_id: int) -> dict[int, str]:
    found = services.programs.list_programs(repo=repository(), patient_id=patient_id, include_archived=True)
    return {p.id: p.title for p in found}


def _email_row(message: OutboxMessage, title: str, *, key: str, now: dt.datetime) -> None:
    with st.container(border=True):
        text_col, button_col = st.columns([5, 1], vertical_alignment="center")
        with text_col:
            badge = f":{_BADGES.get(message.status, 'gray')}-badge[{STATUS_LABELS.get(message.status, 'Unknown')}]"
            st.markdown(f"{badge} **{md(title)}**, version {message.program_version}")
            st.caption(f"Queued at {clock(message.created_at, now=now)} · tries so far: {message.attempts}  \n"
                       + md(describe(message, now=now).text))
        check_first = "Only if the patient did not get it" if message.status is OutboxStatus.UNKNOWN else None
        if can_retry(message) and button_col.button("Retry", key=f"{key}_retry_{message.id}", help=check_first,
                                                    icon=":material/refresh:", width="stretch"):
            config = settings()
            with st.spinner(f"Sending (waiting at most {config.smtp_timeout:g} seconds for the mail server)…"):
                _try(lambda: retry_now(message.id, repo=repository(), settings=config, actor=actor()), key=key,
                     waited=config.smtp_timeout)
            st.rerun()  # every row shows the new state


def emails_panel(patient: PatientRecord, *, key: str = "patients_emails") -> None:
    """The patient's handout emails, newest first, with Retry for those waiting or failed."""
    try:
        messages = list_outbox(repo=repository(), patient_id=patient.id, limit=SHOWN_EMAILS + 1)
        titles = _program_titles(patient.id)
    except RehabError as exc:
        st.error(f"Could not list the emails: {md(str(exc))}")
        return
    result = st.session_state.pop(f"{key}_result", None)
    if result is not None:
        show(result)
    if not messages:
        st.info("No emails yet. To email a handout, open a program on the Programs tab (or on Build program) and "
                "use **Email to patient**.", icon=":material/mail:")
        return
    st.caption("Emails that are waiting are tried again automatically by the clinic's email worker. Retry tries "
               "one again now, with a fresh set of tries.")
    now = dt.datetime.now(dt.UTC)
    for message in messages[:SHOWN_EMAILS]:
        _email_row(message, titles.get(message.program_id, f"Program {message.program_id}"), key=key, now=now)
    if len(messages) > SHOWN_EMAILS:
        st.caption(f"Showing the {SHOWN_EMAILS} newest emails.")


def _status_lines(shown: dict[str, str], port: int, timeout: float) -> list[str]:
    sender = shown["REHAB_MAIL_FROM"]
    return [
        f"**Server:** {md(shown['REHAB_SMTP_HOST'])}, port {port}",
        f"**Security:** {md(shown['REHAB_SMTP_SECURITY'])}",
        f"**Sender:** {md(sender) if sender else 'not set'}",
        f"**Replies go to:** {md(shown['REHAB_MAIL_REPLY_TO'] or sender or 'not set')}",
        f"**Login:** {'yes' if shown['REHAB_SMTP_USERNAME'] else 'no'}",
        f"**Wait for the server:** up to {timeout:g} seconds",
    ]


def draw() -> None:
    config = settings()
    shown = config.redacted()  # passwords are masked here; this page never shows them
    configured = bool(shown["REHAB_SMTP_HOST"])
    st.markdown("**Email server**")
    if not configured:
        st.info("Email is off. To email handouts, your administrator sets REHAB_SMTP_HOST and REHAB_MAIL_FROM "
                "(and a login if the server needs one) in the environment or in .streamlit/secrets.toml, then "
                "restarts the app. Handouts can still be downloaded and printed.")
        return
    st.markdown("  \n".join(["**Email:** on", *_status_lines(shown, config.smtp_port_or_default, config.smtp_timeout)]))
    st.caption("These come from the server's settings, not from this page.")
    to = kept(st.text_input, "Send a test email to", key="settings_test_to", default="",
              placeholder="you@example.org")
    if st.button("Send test email", key="settings_test_send", icon=":material/send:"):
        if not to.strip():
            st.error("Type the address to send the test email to.")
            return
        with st.spinner(f"Sending (waiting at most {config.smtp_timeout:g} seconds for the server)…"):
            try:
                send_test_email_in_time(config, to.strip())
            except InvalidEmail as exc:
                st.error(md(f"The test email was not sent: check the address. ({exc})"))
            except SettingsError as exc:
                st.error(md(f"The test email was not sent: the email settings need fixing. {exc}"))
            except MailDeliveryError as exc:
                st.error(md(f"The test email was not sent: {exc.reason}"))
            else:
                st.success(md(f"Test email sent to {to.strip()}. Check that inbox, and the spam folder too."))
