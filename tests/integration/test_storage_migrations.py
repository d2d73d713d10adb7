"""Alembic migrations: idempotent, match the tables, and safe when several instances start at once."""

from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from rehab import services
from rehab.storage import tables as t
from rehab.storage.db import current_revision, downgrade, head_revision, make_engine, upgrade
from rehab.storage.repository import Repository
from tests.support.storage_samples import sample_program


def test_upgrade_is_idempotent_and_keeps_data(db_url):
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) == head_revision()
        repo = services.bootstrap.connect(engine=engine)  # migrates again, as every app start does
        services.programs.save_program(sample_program(), repo=repo, actor="t")
        assert upgrade(engine) == head_revision()
        assert len(services.programs.list_programs(repo=repo)) == 1
        with engine.connect() as conn:
            assert conn.execute(select(t.clinics.c.id)).scalars().all() == [t.DEFAULT_CLINIC_ID]
    finally:
        engine.dispose()


def test_the_migrated_schema_matches_the_table_definitions(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, t.metadata) == []


def test_downgrade_removes_everything_and_upgrade_restores_it(engine):
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert {table.name for table in t.TABLE_ORDER} <= set(inspect(engine).get_table_names())


def test_instances_starting_at_once_migrate_once(db_url):
    engines = [make_engine(db_url) for _ in range(3)]
    results: list = []

    def start(engine) -> None:
        try:
            results.append(upgrade(engine))
        except Exception as exc:  # collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert results == [head_revision()] * 3
        with engines[0].connect() as conn:
            assert conn.execute(select(t.clinics.c.id)).scalars().all() == [t.DEFAULT_CLINIC_ID]
    finally:
        for engine in engines:
            engine.dispose()


def test_accounts_made_before_emails_were_per_clinic_keep_signing_in_and_the_address_can_join_another_clinic(
        db_url):
    from rehab.services import accounts

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0010")  # emails were unique in the whole database then
        repo = Repository(engine)
        accounts.create_clinic_with_admin("A", "ana@example.org", "Ana", "a long passphrase here", repo=repo)
        upgrade(engine)
        accounts.add_clinic_with_admin("B", "ana@example.org", "Ana in B", "another long passphrase", repo=repo,
                                       actor="test")
        opened = [accounts.sign_in("ana@example.org", password, client_id="t", repo=repo).clinic_id
                  for password in ("a long passphrase here", "another long passphrase")]
        assert opened == [1, 2]
    finally:
        engine.dispose()
