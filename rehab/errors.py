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


# --- email (raised by rehab/mail/ and the email services, caught by every face) ---


class MailError(RehabError):
    """Base for every email problem."""


class InvalidEmail(MailError):
    """The message cannot be built: a bad address, template, header value or attachment. The text names the field.

    Nothing was sent; fix the input and try again (retrying unchanged gives the same error).
    """


class MailDeliveryError(MailError):
    """The mail server did not take the message. ``reason`` is the plain text; ``smtp_code`` the reply code, if any."""

    def __init__(self, reason: str, smtp_code: int | None = None):
        self.reason = reason
        self.smtp_code = smtp_code
        super().__init__(reason)


class TemporaryMailError(MailDeliveryError):
    """Worth trying again later: the server was down, slow, refused TLS or the login, or replied 4xx.

    The outbox keeps the message queued and retries it on the schedule in rehab.mail.retry.
    """


class PermanentMailError(MailDeliveryError):
    """The server refused this message for good (a 5xx reply other than a login problem).

    The outbox marks the message failed with ``reason``; sending it again unchanged would be refused again.
    """


class UncertainMailError(MailDeliveryError):
    """The whole message went to the server, but its answer never came: it may have been delivered, or not.

    The outbox marks the message ``unknown`` and never resends it by itself: a person checks (with the patient or
    the mail server's log) and presses Retry only if it did not arrive. Sending again blindly makes copies.
    """
