"""A clinic's own program templates: the ``rehab.template/1`` document and the use cases over it.

Built-in templates (assets/templates.yaml) are read-only; a clinic copies one, or saves any program, as its own
template, then edits, duplicates, retires, restores, exports and imports it as JSON. A clinic template is shared
by everyone in its clinic and by no one else: every call goes through a clinic-scoped repository.

Clinic templates are named ``clinic_<id>`` wherever a template id is expected (``Program.template``, the command
line's ``new --template``); no built-in id starts with ``clinic_``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..content.content import Template, get_template, load_education
from ..content.library import ExerciseLibrary, load_library
from ..domain import Exercise, FrozenModel, Patient, Program, Severity
from ..domain.records import AuditAction, StoredTemplate
from ..domain.template import TEMPLATE_FORMAT, TemplateDocument
from ..errors import ProgramError, UnknownTemplate
from ..program.checks import check_program
from ..program.document import as_data
from ..storage.errors import ArchivedRecord, InvalidRecord, StorageError
from ..storage.repository import Repository, Tx
from ..words.problems import messages
from .audit import checked_actor as _actor

CLINIC_PREFIX = "clinic_"


class ClinicTemplate(FrozenModel):
    """One of the clinic's templates with its document parsed."""

    id: int
    document: TemplateDocument
    created_at: dt.datetime
    updated_at: dt.datetime
    retired_at: dt.datetime | None = None

    @property
    def ref(self) -> str:
        return f"{CLINIC_PREFIX}{self.id}"

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def as_template(self) -> Template:
        """The same shape as a built-in template, so programs start from either the same way."""
        fields = self.document.model_dump(exclude={"format"})
        return Template(id=self.ref, **fields)


# --- the document ----------------------------------------------------------------------------------------------


def _data(source: str | bytes | dict | Path) -> Any:
    """JSON text, bytes, a dict or a file Path, read with the program document's size and encoding checks; text is
    always JSON (a pasted ``[1]`` is not a file name)."""
    try:
        return as_data(source.encode("utf-8") if isinstance(source, str) else source)
    except ProgramError as exc:
        raise InvalidRecord([p.replace("a program document", "a template") for p in exc.problems]) from None


def _parsed(data: Any) -> TemplateDocument:
    if not isinstance(data, dict):
        raise InvalidRecord(["document: must be a JSON object"])
    if data.get("format") != TEMPLATE_FORMAT:
        raise InvalidRecord([f"format: {data.get('format')!r} is not supported; expected '{TEMPLATE_FORMAT}'"])
    try:
        return TemplateDocument.model_validate(data)
    except ValidationError as exc:
        raise InvalidRecord(messages(exc)) from None


def read_template(source: str | bytes | dict | Path, library: ExerciseLibrary | None = None) -> TemplateDocument:
    """Parse and fully check a ``rehab.template/1`` document; InvalidRecord lists every problem by field."""
    document = _parsed(_data(source))
    problems = template_problems(document, library or load_library())
    if problems:
        raise InvalidRecord(problems)
    return document


def template_problems(document: TemplateDocument, library: ExerciseLibrary) -> list[str]:
    """What the schema cannot check: exercises and topics exist, and a program started from it has no errors
    (a one-leg exercise needs a side; a planned switch needs an exercise in the library)."""
    problems = [
        f"items[{index}].exercise: '{item.exercise}' is not in this clinic's exercise library"
        for index, item in enumerate(document.items)
        if item.exercise not in library
    ]
    topics = load_education()
    problems += [
        f"education[{index}]: '{topic}' is not a known topic; use one of: {', '.join(topics)}"
        for index, topic in enumerate(document.education)
        if topic not in topics
    ]
    if problems:
        return problems
    preview = _preview_program(document)
    for finding in check_program(preview, library):
        if finding.severity is Severity.ERROR:
            where = "items" if finding.item is None else f"items[{finding.item}]"
            problems.append(f"{where}: {finding.message}")
    return problems


def _preview_program(document: TemplateDocument) -> Program:
    return Program(patient=Patient(name="Preview"), phase=document.phase, start_date=dt.date(2026, 1, 5),
                   duration_weeks=document.duration_weeks, items=document.items, education=document.education)


def dumps_template(document: TemplateDocument) -> str:
    """Canonical JSON (2-space indent, characters kept, trailing newline): the export file and the stored form."""
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def template_json_schema() -> dict[str, Any]:
    schema = TemplateDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = TEMPLATE_FORMAT
    return schema


def from_builtin(template: Template) -> TemplateDocument:
    return TemplateDocument(**template.model_dump(exclude={"id"}))


def from_program(program: Program, *, title: str, summary: str, move_on: Iterable[str],
                 notes: str = "") -> TemplateDocument:
    """A template of ``program``: its phase, weeks, exercises with doses and week-plan settings, and topics; never
    the patient, dates or the notes written for the patient."""
    data = {
        "title": title.strip(),
        "phase": program.phase,
        "duration_weeks": program.duration_weeks,
        "summary": summary.strip(),
        "move_on": [line.strip() for line in move_on if line.strip()],
        "items": program.items,
        "education": program.education,
        "notes": notes.strip(),
    }
    return _parsed({**data, "format": TEMPLATE_FORMAT})


def changed(document: TemplateDocument, changes: Mapping[str, Any]) -> TemplateDocument:
    """``document`` with some fields replaced, checked like a new document (field names in the messages)."""
    data = document.model_dump(mode="json")
    unknown = sorted(set(changes) - set(data) - {"format"})
    if unknown:
        raise InvalidRecord([f"{name}: is not a field of a template" for name in unknown])
    data.update(changes)
    return _parsed(data)


def parse_ref(ref: str) -> int | None:
    """The id in ``clinic_<id>``, or None for anything else (a built-in id)."""
    if ref.startswith(CLINIC_PREFIX) and ref[len(CLINIC_PREFIX):].isdigit():
        return int(ref[len(CLINIC_PREFIX):])
    return None


# --- use cases -------------------------------------------------------------------------------------------------


def _active_library(tx: Tx) -> ExerciseLibrary:
    """Built-in exercises plus the clinic's own in use: a template cannot bring back a retired exercise."""
    documents = tx.custom_exercise_documents(include_archived=False)
    base = load_library()
    return base.with_custom(Exercise.model_validate_json(doc) for doc in documents) if documents else base


def _record(stored: StoredTemplate) -> ClinicTemplate:
    return ClinicTemplate(id=stored.id, document=TemplateDocument.model_validate_json(stored.document),
                          created_at=stored.created_at, updated_at=stored.updated_at, retired_at=stored.retired_at)


def _add(tx: Tx, document: TemplateDocument, actor: str) -> ClinicTemplate:
    problems = template_problems(document, _active_library(tx))
    if problems:
        raise InvalidRecord(problems)
    template_id = tx.add_clinic_template(document.title, dumps_template(document))
    tx.audit(actor, AuditAction.TEMPLATE_ADD, template_id=template_id)
    return _record(tx.get_clinic_template(template_id))


def add_clinic_template(document: TemplateDocument, *, repo: Repository, actor: str) -> ClinicTemplate:
    actor = _actor(actor)
    with repo.transaction(write=True) as tx:
        return _add(tx, document, actor)


def copy_builtin(template_id: str, *, repo: Repository, actor: str) -> ClinicTemplate:
    """A clinic copy of a built-in template, to edit; the built-in one stays as it is."""
    return add_clinic_template(from_builtin(get_template(template_id)), repo=repo, actor=actor)


def save_program_as_template(program: Program, *, title: str, summary: str, move_on: Iterable[str],
                             notes: str = "", repo: Repository, actor: str) -> ClinicTemplate:
    document = from_program(program, title=title, summary=summary, move_on=move_on, notes=notes)
    return add_clinic_template(document, repo=repo, actor=actor)


def import_template(source: str | bytes | dict | Path, *, repo: Repository, actor: str) -> ClinicTemplate:
    """Add a template from a ``rehab.template/1`` file; its exercises must be in this clinic's library."""
    actor = _actor(actor)
    document = _parsed(_data(source))
    with repo.transaction(write=True) as tx:
        return _add(tx, document, actor)


def list_clinic_templates(*, repo: Repository, include_retired: bool = False) -> list[ClinicTemplate]:
    with repo.transaction() as tx:
        return [_record(stored) for stored in tx.clinic_templates(include_retired=include_retired)]


def clinic_template_titles(*, repo: Repository) -> dict[str, str]:
    """``clinic_<id>`` → title of every template in use, by title; cheap enough for every Build page run."""
    with repo.transaction() as tx:
        return {f"{CLINIC_PREFIX}{template_id}": title for template_id, title in tx.clinic_template_titles()}


def get_clinic_template(template_id: int, *, repo: Repository) -> ClinicTemplate:
    with repo.transaction() as tx:
        return _record(tx.get_clinic_template(template_id))


def update_clinic_template(template_id: int, changes: Mapping[str, Any], *, repo: Repository, actor: str,
                           seen_at: dt.datetime | None = None) -> ClinicTemplate:
    """Change some fields (title, phase, summary, move_on, education, notes, items...); all are checked again.

    ``seen_at`` is the ``updated_at`` the editor started from: when someone changed the template since, nothing is
    overwritten (StorageError) and the editor still holds their changes to apply again."""
    actor = _actor(actor)
    with repo.transaction(write=True) as tx:
        current = _record(tx.get_clinic_template(template_id))
        if seen_at is not None and current.updated_at != seen_at:
            raise StorageError(f"someone changed this template at {current.updated_at:%H:%M} UTC, after you opened "
                               "it; nothing was overwritten. Open it again to see their changes, then redo yours.")
        if current.retired:
            raise ArchivedRecord(f"clinic template {template_id} is retired; restore it before changing it")
        document = changed(current.document, changes)
        problems = template_problems(document, _active_library(tx))
        if problems:
            raise InvalidRecord(problems)
        tx.update_clinic_template(template_id, document.title, dumps_template(document))
        tx.audit(actor, AuditAction.TEMPLATE_UPDATE, template_id=template_id)
        return _record(tx.get_clinic_template(template_id))


def duplicate_clinic_template(template_id: int, *, repo: Repository, actor: str) -> ClinicTemplate:
    actor = _actor(actor)
    with repo.transaction(write=True) as tx:
        source = _record(tx.get_clinic_template(template_id)).document
        title = f"{source.title} (copy)"
        if len(title) > 200:
            title = source.title[:193] + " (copy)"
        return _add(tx, source.model_copy(update={"title": title}), actor)


def retire_clinic_template(template_id: int, *, repo: Repository, actor: str) -> ClinicTemplate:
    """Take it off the lists; programs started from it keep working, and it can be restored."""
    return _set_retired(template_id, True, repo=repo, actor=actor)


def restore_clinic_template(template_id: int, *, repo: Repository, actor: str) -> ClinicTemplate:
    return _set_retired(template_id, False, repo=repo, actor=actor)


def _set_retired(template_id: int, retired: bool, *, repo: Repository, actor: str) -> ClinicTemplate:
    actor = _actor(actor)
    action = AuditAction.TEMPLATE_RETIRE if retired else AuditAction.TEMPLATE_RESTORE
    with repo.transaction(write=True) as tx:
        tx.set_clinic_template_retired(template_id, retired)
        tx.audit(actor, action, template_id=template_id)
        return _record(tx.get_clinic_template(template_id))


def export_template(template_id: int, *, repo: Repository) -> str:
    """The template as a ``rehab.template/1`` file, for another clinic or a backup."""
    return dumps_template(get_clinic_template(template_id, repo=repo).document)


def resolve_template(ref: str, *, repo: Repository | None = None) -> Template:
    """A built-in template by id, or (with ``repo``) one of the clinic's templates in use by ``clinic_<id>``."""
    template_id = parse_ref(ref)
    if template_id is None:
        return get_template(ref)
    if repo is None:
        raise UnknownTemplate(f"template '{ref}' is a clinic template; it needs the clinic's database")
    record = get_clinic_template(template_id, repo=repo)
    if record.retired:
        raise UnknownTemplate(f"template '{ref}' is retired; restore it on the Templates page to start from it")
    return record.as_template()

