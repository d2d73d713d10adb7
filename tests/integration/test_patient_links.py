"""Patient links on SQLite and PostgreSQL (issue 16): one link per program, its token stored only as a hash,
stable across new versions, ending on expiry or revocation, renewable; check-ins kept with the version shown,
checked, rate limited and audited with ids only; two clinics never see each other's links or check-ins."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select

from rehab import services
from rehab.domain import NextMorning
from rehab.domain.links import CheckInInput, CheckInKind, LinkState
from rehab.domain.records import AuditAction
from rehab.security import passwords
from rehab.services import accounts
from rehab.services import patient_links as links
from rehab.storage import tables as t
from rehab.storage.errors import ArchivedRecord, InvalidRecord, NotFound
from rehab.storage.repository import Repository
from tests.support.storage_samples import sample_program

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
ACTOR = "ana@example.org"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                            type=Type.ID))


@pytest.fixture
def program_id(repo) -> int:
    return services.programs.save_program(sample_program(), repo=repo, actor=ACTOR).program_id


def exercise_ids(repo, program_id) -> set[str]:
    _, program = services.programs.get_version(program_id, repo=repo)
    return {item.exercise for item in program.items}


def stored_hashes(repo) -> list[str]:
    with repo.engine.connect() as connection:
        return list(connection.scalars(select(t.patient_links.c.token_hash)))


def test_a_link_has_a_256_bit_token_stored_only_as_its_hash_and_expires_four_weeks_after_the_program(
        repo, program_id):
    link, token = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    assert len(token) >= 43 and token.isascii()  # 32 random bytes, URL-safe base64
    assert stored_hashes(repo) == [links.token_hash(token)] and token not in str(stored_hashes(repo))
    # the sample starts Monday 23 Nov 2026 and runs 4 weeks, to Sunday 20 Dec; four more weeks and the day after
    # that (a link handed out "until the 18th" works all of the 18th)
    assert sample_program().duration_weeks == 4
    assert link.expires_at == dt.datetime(2027, 1, 19, tzinfo=dt.UTC)
    assert link.state(T0) is LinkState.ACTIVE
    resolved = links.resolve(token, repo=repo, now=T0)
    assert (resolved.link.id, resolved.version) == (link.id, 1)
    entries = services.audit.audit_trail(repo=repo)
    assert entries[0].action is AuditAction.LINK_CREATE and entries[0].program_id == program_id


def test_opening_never_uses_a_link_up_and_a_new_version_shows_through_the_same_link(repo, program_id):
    _, token = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    for _ in range(3):
        links.record_open(links.resolve(token, repo=repo, now=T0))
    changed = sample_program().model_copy(update={"notes": "Walk daily."})
    services.programs.save_program(changed, repo=repo, actor=ACTOR, program_id=program_id, base_version=1)
    assert links.resolve(token, repo=repo, now=T0).version == 2
    opens = [e for e in services.audit.audit_trail(repo=repo) if e.action is AuditAction.LINK_OPEN]
    assert len(opens) == 1 and opens[0].actor.startswith("patient link ")  # reloads within 15 minutes: once


def test_expired_revoked_forged_and_archived_links_all_fail_the_same_way(repo, program_id):
    link, token = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    after = link.expires_at + dt.timedelta(seconds=1)
    for bad, when in ((token, after), (token[:-1] + ("A" if token[-1] != "A" else "B"), T0), ("", T0),
                      ("x" * 500, T0)):
        with pytest.raises(links.LinkUnavailable, match="this link does not work"):
            links.resolve(bad, repo=repo, now=when)
    renewed = links.renew_link(program_id, repo=repo, actor=ACTOR, now=after)
    assert renewed.expires_at >= after + dt.timedelta(days=links.MIN_DAYS_LEFT)
    assert links.resolve(token, repo=repo, now=after).link.id == link.id  # renewing keeps the token
    services.programs.archive_program(program_id, repo=repo, actor=ACTOR)
    with pytest.raises(links.LinkUnavailable):
        links.resolve(token, repo=repo, now=T0)
    with pytest.raises(ArchivedRecord):
        links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    services.programs.restore_program(program_id, repo=repo, actor=ACTOR)
    assert links.revoke_link(program_id, repo=repo, actor=ACTOR)
    assert not links.revoke_link(program_id, repo=repo, actor=ACTOR)  # already revoked
    with pytest.raises(links.LinkUnavailable):
        links.resolve(token, repo=repo, now=T0)
    with pytest.raises(NotFound):
        links.renew_link(program_id, repo=repo, actor=ACTOR, now=T0)  # a revoked link is not brought back


def test_a_new_link_replaces_the_old_token_of_the_same_program(repo, program_id):
    first, old = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    links.revoke_link(program_id, repo=repo, actor=ACTOR)
    second, new = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    assert second.id == first.id and second.revoked_at is None and new != old
    assert len(stored_hashes(repo)) == 1
    with pytest.raises(links.LinkUnavailable):
        links.resolve(old, repo=repo, now=T0)
    assert links.resolve(new, repo=repo, now=T0).link.id == first.id


def test_a_program_that_ended_long_ago_gets_a_link_that_works_for_a_week_at_least(repo, program_id):
    later = T0 + dt.timedelta(days=365)
    link, _ = links.create_link(program_id, repo=repo, actor=ACTOR, now=later)
    assert link.expires_at == later + dt.timedelta(days=links.MIN_DAYS_LEFT)


def test_check_ins_are_kept_with_the_version_shown_checked_and_audited_with_ids_only(repo, program_id):
    _, token = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    resolved = links.resolve(token, repo=repo, now=T0)
    ids = exercise_ids(repo, program_id)
    first = sorted(ids)[0]
    links.record_check_in(resolved, CheckInInput(kind=CheckInKind.SESSION, done=(first, first), pain=3), ids, now=T0)
    links.record_check_in(resolved, CheckInInput(kind=CheckInKind.MORNING, morning=NextMorning.SAME), ids, now=T0)
    links.record_check_in(resolved, CheckInInput(kind=CheckInKind.WEEK, pain=5), ids, now=T0)
    kept = links.check_ins([program_id], repo=repo)
    assert [(c.kind, c.version, c.done, c.pain, c.morning) for c in kept] == [
        (CheckInKind.SESSION, 1, (first,), 3, None), (CheckInKind.MORNING, 1, (), None, NextMorning.SAME),
        (CheckInKind.WEEK, 1, (), 5, None)]
    bad = [CheckInInput(kind=CheckInKind.SESSION, done=("not_in_program",)),
           CheckInInput(kind=CheckInKind.SESSION),
           CheckInInput(kind=CheckInKind.MORNING, pain=2),
           CheckInInput(kind=CheckInKind.WEEK)]
    for entry in bad:
        with pytest.raises(InvalidRecord):
            links.record_check_in(resolved, entry, ids, now=T0)
    with pytest.raises(ValueError):
        CheckInInput(kind=CheckInKind.WEEK, pain=11)
    entries = [e for e in services.audit.audit_trail(repo=repo) if e.action is AuditAction.LINK_CHECK_IN]
    assert len(entries) == 3 and {e.actor for e in entries} == {resolved.actor}


def test_check_ins_are_rate_limited_per_link(repo, program_id):
    _, token = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    resolved = links.resolve(token, repo=repo, now=T0)
    week = CheckInInput(kind=CheckInKind.WEEK, pain=4)
    for n in range(links.CHECK_INS_PER_HOUR):
        links.record_check_in(resolved, week, set(), now=T0 + dt.timedelta(seconds=n))
    with pytest.raises(links.TooManyCheckIns):
        links.record_check_in(resolved, week, set(), now=T0 + dt.timedelta(minutes=30))
    links.record_check_in(resolved, week, set(), now=T0 + dt.timedelta(minutes=61))  # an hour later: allowed


def test_two_clinics_never_see_each_others_links_or_check_ins(repo):
    a = accounts.create_clinic_with_admin("Clinic A", "ana@example.org", "Ana", "a long test passphrase", repo=repo)
    b = accounts.add_clinic_with_admin("Clinic B", "bo@example.org", "Bo", "a long test passphrase", repo=repo,
                                       actor="test")
    repo_a, repo_b = Repository(repo.engine, a.clinic_id), Repository(repo.engine, b.clinic_id)
    program_a = services.programs.save_program(sample_program(), repo=repo_a, actor=ACTOR).program_id
    _, token = links.create_link(program_a, repo=repo_a, actor=ACTOR, now=T0)
    resolved = links.resolve(token, repo=repo_b, now=T0)  # the token finds its own clinic, whoever asks
    assert resolved.repo.clinic_id == a.clinic_id
    links.record_check_in(resolved, CheckInInput(kind=CheckInKind.WEEK, pain=2), set(), now=T0)
    for call in (lambda: links.create_link(program_a, repo=repo_b, actor="bo@example.org", now=T0),
                 lambda: links.renew_link(program_a, repo=repo_b, actor="bo@example.org", now=T0),
                 lambda: links.revoke_link(program_a, repo=repo_b, actor="bo@example.org"),
                 lambda: links.link_for(program_a, repo=repo_b)):
        with pytest.raises(NotFound):
            call()
    assert links.links_for([program_a], repo=repo_b) == {}
    assert links.check_ins([program_a], repo=repo_b) == []
    assert len(links.check_ins([program_a], repo=repo_a)) == 1
    assert links.resolve(token, repo=repo_a, now=T0).link.id == resolved.link.id  # still working for A


def test_the_clinic_sets_how_many_weeks_after_the_end_a_link_works(repo, program_id):
    from rehab.domain.clinic import Clinic

    default, _ = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    services.clinic.save_clinic(Clinic(name="Knee Clinic", link_weeks_after_end=8), repo=repo, actor=ACTOR)
    longer, _ = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    assert longer.expires_at - default.expires_at == dt.timedelta(weeks=4)
    assert links.renew_link(program_id, repo=repo, actor=ACTOR, now=T0).expires_at == longer.expires_at
    with pytest.raises(ValueError):
        Clinic(name="Knee Clinic", link_weeks_after_end=0)


def test_the_patient_page_follows_the_programs_language(repo):
    from rehab.domain import Patient
    from rehab.services.patient_page import patient_page
    from server.patient_page import render

    program = sample_program()
    program = program.model_copy(update={"patient": Patient(**{**program.patient.model_dump(), "language": "ar"})})
    program_id = services.programs.save_program(program, repo=repo, actor=ACTOR).program_id
    _, token = links.create_link(program_id, repo=repo, actor=ACTOR, now=T0)
    page = patient_page(links.resolve(token, repo=repo, now=T0))
    html = render(page, base="/p/x", csrf="c")
    assert page.language == "ar" and '<html lang="ar" dir="rtl">' in html
    assert page.content.exercises_heading == "تمارينك" and "تمارينك" in html
    assert "<h3>طريقة التمرين</h3>" in html  # the cards' own headings too
