"""Errors the rehab package raises; each message names the field and what is allowed."""


class RehabError(Exception):
    """Base for every error a user can cause and fix."""


class ProgramError(RehabError):
    """A program document is malformed or out of range. ``problems`` lists one line per field."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class LibraryError(RehabError):
    """A data file in assets/ is invalid; the message names the entry id and field."""


class UnknownTemplate(RehabError):
    pass


# --- stored records (raised by rehab/storage/, caught by every face) ---


class StorageError(RehabError):
    """Base for storage problems a user can act on."""


class StorageUnavailable(StorageError):
    """The database cannot be reached, is locked or is read-only. Nothing was saved; retry with the same data."""


class ConflictError(StorageError):
    """Someone saved a newer version first. Nothing was overwritten."""

    def __init__(self, program_id: int, base_version: int, current_version: int):
        self.program_id = program_id
        self.base_version = base_version
        self.current_version = current_version
        super().__init__(
            f"conflict: program {program_id} is now at version {current_version}, but this save started from "
            f"version {base_version}; nothing was overwritten. Open version {current_version}, redo your changes "
            "and save again."
        )


class NotFound(StorageError):
    """A patient, program or version id that does not exist (in this clinic)."""


class InvalidRecord(StorageError):
    """Input out of range; ``problems`` lists one line per field, like ProgramError."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class ArchivedRecord(StorageError):
    """The patient or program is archived; restore it before changing it."""


class DataNotEmpty(StorageError):
    """An import would overwrite existing records."""
