"""Queries for the clinic's own program templates; every one is scoped to the transaction's clinic.

A mixin of ``Tx``: it relies on ``self.connection``, ``self.clinic_id`` and ``self.now`` from there.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ..domain.records import StoredTemplate
from . import tables as t
from .errors import NotFound

_c = t.clinic_templates.c
_COLUMNS = (_c.id, _c.title, _c.document, _c.created_at, _c.updated_at, _c.retired_at)


class TemplateQueries:
    connection: Connection
    clinic_id: int
    now: dt.datetime

    def _mine(self, template_id: int):
        return (_c.id == template_id) & (_c.clinic_id == self.clinic_id)

    def add_clinic_template(self, title: str, document: str) -> int:
        return self.connection.execute(
            insert(t.clinic_templates).values(
                clinic_id=self.clinic_id, title=title, document=document, created_at=self.now, updated_at=self.now
            )
        ).inserted_primary_key[0]

    def update_clinic_template(self, template_id: int, title: str, document: str) -> None:
        changed = self.connection.execute(
            update(t.clinic_templates)
            .where(self._mine(template_id))
            .values(title=title, document=document, updated_at=self.now)
        ).rowcount
        if not changed:
            raise NotFound(f"clinic template {template_id} does not exist")

    def set_clinic_template_retired(self, template_id: int, retired: bool) -> None:
        changed = self.connection.execute(
            update(t.clinic_templates)
            .where(self._mine(template_id))
            .values(retired_at=self.now if retired else None, updated_at=self.now)
        ).rowcount
        if not changed:
            raise NotFound(f"clinic template {template_id} does not exist")

    def get_clinic_template(self, template_id: int) -> StoredTemplate:
        row = self.connection.execute(select(*_COLUMNS).where(self._mine(template_id))).first()
        if row is None:
            raise NotFound(f"clinic template {template_id} does not exist")
        return StoredTemplate.model_validate(dict(row._mapping))

    def clinic_templates(self, *, include_retired: bool = False) -> list[StoredTemplate]:
        query = select(*_COLUMNS).where(_c.clinic_id == self.clinic_id)
        if not include_retired:
            query = query.where(_c.retired_at.is_(None))
        rows = self.connection.execute(query.order_by(_c.title, _c.id))
        return [StoredTemplate.model_validate(dict(row._mapping)) for row in rows]

    def clinic_template_titles(self) -> list[tuple[int, str]]:
        """Ids and titles of the templates in use, by title: the Build page's list, without reading documents."""
        rows = self.connection.execute(
            select(_c.id, _c.title)
            .where(_c.clinic_id == self.clinic_id, _c.retired_at.is_(None))
            .order_by(_c.title, _c.id)
        )
        return [(row.id, row.title) for row in rows]
