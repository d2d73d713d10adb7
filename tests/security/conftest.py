"""The security suite reuses the AppTest fixtures: a fresh SQLite database per test and a signed-in session."""

from tests.app.conftest import app_database, signed_in_app  # noqa: F401 - autouse fixtures, active here too
