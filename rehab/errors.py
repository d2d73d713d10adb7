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
