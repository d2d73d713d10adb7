"""The plain words of "Email to patient": recipient, consent, and what happened to each email."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab.content.readability import grade
from rehab.domain import Patient, Phase, Program, ProgramItem
from rehab.domain.records import HANDED_OVER, OutboxMessage, PatientRecord
from rehab.words.email import (
    EMAIL_OFF,
    HOW_TO_RECORD_CONSENT,
    LOCKED_PDF_ADVICE,
    NO_ADDRESS,
    NO_SENDER,
    UNKNOWN_ADVICE,
    can_retry,
    clock,
    consent_problems,
    describe,
    plain_problem,
    plain_reason,
    recipient_for,
    send_result,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def message(**changes) -> OutboxMessage:
    values = {"id": 7, "patient_id": 1, "program_id": 2, "program_version": 3, "recipient": "zoe@example.org",
              "subject": "Your exercise program", "body": "Hello", "status": "queued", "attempts": 0,
              "next_attempt_at": NOW, "created_at": NOW}
    return OutboxMessage(**{**values, **changes})


def record(**changes) -> PatientRecord:
    values = {"id": 1, "name": "Zoë Ñúñez", "email": "zoe@example.org", "email_consent": True,
              "created_at": NOW, "updated_at": NOW}
    return PatientRecord(**{**values, **changes})


def program(email: str | None = "old@example.org", consent: bool = True) -> Program:
    return Program(patient=Patient(name="Zoë Ñúñez", email=email, email_consent=consent), phase=Phase.STRENGTHEN,
                   start_date=dt.date(2026, 3, 2), duration_weeks=4,
                   items=(ProgramItem(exercise="glute_bridge", sets=3, reps=12),))


def test_the_email_goes_to_the_patient_records_current_address_else_the_versions():
    assert recipient_for(program(), record()) == "zoe@example.org"
    assert recipient_for(program(), record(email=None)) == "old@example.org"
    assert recipient_for(program(email=None), record(email=None)) is None


def test_consent_given_in_both_places_means_no_problems():
    assert consent_problems(record_consent=True, version_consent=True, version=2) == []


def test_no_consent_on_the_record_says_why_and_how_to_record_it():
    lines = consent_problems(record_consent=False, version_consent=True, version=2)
    assert lines[0].startswith("Sending is blocked: the patient has not agreed")
    assert lines[1] == HOW_TO_RECORD_CONSENT and "Edit details" in lines[1] and "Patients page" in lines[1]
    assert "The patient agrees to get handouts by email" in lines[1]  # the checkbox's own label
    assert len(lines) == 2


def test_no_consent_anywhere_also_says_to_save_a_new_version():
    lines = consent_problems(record_consent=False, version_consent=False, version=4)
    assert len(lines) == 3 and "version 4 was saved without their consent" in lines[2]


def test_a_version_saved_before_the_consent_must_be_saved_again():
    (line,) = consent_problems(record_consent=True, version_consent=False, version=1)
    assert "version 1 was saved before the patient agreed" in line and "Save the program again" in line


def test_clock_says_today_tomorrow_or_the_date_in_the_given_time_zone():
    tz = dt.timezone(dt.timedelta(hours=2))
    assert clock(NOW, now=NOW, tz=tz) == "16:00 today"
    assert clock(NOW + dt.timedelta(hours=12), now=NOW, tz=tz) == "04:00 tomorrow"
    assert clock(NOW - dt.timedelta(days=3), now=NOW, tz=UTC) == "14:00 on 2026-02-27"


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("could not connect to the mail server at 127.0.0.1:25: connection refused",
         "Could not connect to the mail server at 127.0.0.1:25: connection refused."),
        ("gave up after 6 attempts: the mail server did not answer within 15 seconds",
         "Gave up after 6 tries. The last problem: The mail server did not answer within 15 seconds."),
        ("the mail server refused the recipient: 550 no such user", "The mail server refused the recipient: 550 no "
         "such user."),
        ("ends already.", "Ends already."),
        (None, ""),
        ("  ", ""),
    ],
)
def test_stored_errors_read_as_sentences(stored, said):
    assert plain_reason(stored) == said


def test_errors_name_fields_in_words_a_clinician_knows():
    assert plain_problem("to: not a valid email address: x") == "The patient's email address: not a valid email " \
                                                                "address: x."
    assert plain_problem("password: too long") == "The PDF password: too long."
    assert plain_problem("REHAB_MAIL_FROM: empty").startswith("The email settings need fixing (REHAB_MAIL_FROM)")
    assert plain_problem("something else entirely") == "Something else entirely."


def test_a_sent_email_says_when():
    words = describe(message(status="sent", attempts=1, sent_at=NOW), now=NOW, tz=UTC)
    assert (words.tone, words.text) == ("success", "Sent to zoe@example.org at 14:00 today.")


def test_a_new_email_waits_for_its_first_try():
    words = describe(message(), now=NOW, tz=UTC)
    assert words.tone == "waiting"
    assert words.text == "Waiting to be sent to zoe@example.org. It will be sent automatically at 14:00 today."


def test_an_email_that_failed_for_now_says_why_and_when_it_is_tried_again():
    words = describe(message(attempts=2, last_error="the mail server replied with an error: 451 try later",
                             next_attempt_at=NOW + dt.timedelta(minutes=5)), now=NOW, tz=UTC)
    assert words.tone == "waiting"
    assert words.text == ("Not sent yet to zoe@example.org. The mail server replied with an error: 451 try later. "
                          "It will be tried again automatically at 14:05 today (try 3 of 6).")


def test_an_email_that_failed_for_good_says_the_servers_reason_and_to_retry():
    words = describe(message(status="failed", attempts=1, last_error="the mail server refused the message: 554 "
                             "rejected"), now=NOW, tz=UTC)
    assert words.tone == "error"
    assert words.text.startswith("Not sent to zoe@example.org. The mail server refused the message: 554 rejected.")
    assert "press Retry" in words.text


def test_an_email_being_sent_says_so_and_a_late_try_says_it_is_safe():
    sending = message(status="sending", claimed_by="host:1", claimed_at=NOW)
    assert describe(sending, now=NOW, tz=UTC).text == "Being sent to zoe@example.org now (started at 14:00 today)."
    late = send_result(sending, waited_seconds=15, now=NOW, tz=UTC)
    assert late.tone == "waiting" and "did not finish within 15 seconds" in late.text and "kept" in late.text
    assert send_result(message(status="sent", sent_at=NOW), waited_seconds=15, now=NOW, tz=UTC).tone == "success"


def test_an_unknown_email_says_it_may_have_arrived_and_to_check_before_retry():
    unknown = message(status="unknown", attempts=1, claimed_by="host:1", claimed_at=NOW,
                      last_error="the mail server did not answer after the whole message was handed over")
    words = describe(unknown, now=NOW, tz=UTC)
    assert words.tone == "waiting"
    assert words.text == ("Handed to the mail server for zoe@example.org at 14:00 today, but the server has not "
                          f"confirmed it. {UNKNOWN_ADVICE}")
    assert "Press Retry only if they did not" in UNKNOWN_ADVICE
    waiting = send_result(unknown.model_copy(update={"last_error": HANDED_OVER}), waited_seconds=15, now=NOW, tz=UTC)
    assert "has not confirmed it yet" in waiting.text and "Do not send it again meanwhile" in waiting.text


def test_only_waiting_failed_and_unknown_emails_can_be_retried():
    assert can_retry(message()) and can_retry(message(status="failed")) and can_retry(message(status="unknown"))
    assert not can_retry(message(status="sent")) and not can_retry(message(status="sending"))


def test_the_words_are_easy_to_read():
    sentences = [
        HOW_TO_RECORD_CONSENT, NO_ADDRESS, EMAIL_OFF, NO_SENDER, LOCKED_PDF_ADVICE, UNKNOWN_ADVICE,
        *consent_problems(record_consent=False, version_consent=False, version=2),
        *consent_problems(record_consent=True, version_consent=False, version=2),
        describe(message(attempts=1, last_error="connection refused"), now=NOW, tz=UTC).text,
    ]
    for text in sentences:
        assert grade(text) <= 8, text
