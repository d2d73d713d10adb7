"""Settings: one table of names, defaults and help; parsed from the environment; secrets never shown."""

from __future__ import annotations

import dataclasses

import pytest

from rehab.config import SETTINGS, Settings, SettingsError, redact_url
from tests.conftest import ROOT


def test_the_settings_table_and_the_settings_fields_match_one_to_one():
    assert [s.field for s in SETTINGS] == [f.name for f in dataclasses.fields(Settings)]
    assert all(s.name.startswith("REHAB_") and s.help.endswith(".") for s in SETTINGS)


def test_an_empty_environment_gives_the_documented_defaults():
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.database_url == "sqlite:///data/rehab.db"
    assert (settings.smtp_security, settings.smtp_timeout, settings.smtp_port_or_default) == ("starttls", 15.0, 587)


def test_values_are_read_and_parsed_from_the_environment():
    settings = Settings.from_env(
        {
            "REHAB_DATABASE_URL": "postgresql+psycopg://rehab:pw@db.example.org/rehab",
            "REHAB_SMTP_HOST": "mail.example.org",
            "REHAB_SMTP_PORT": "2525",
            "REHAB_SMTP_SECURITY": "SSL",
            "REHAB_SMTP_TIMEOUT": "4.5",
            "REHAB_MAIL_FROM": "Clinic <desk@example.org>",
            "REHAB_SMTP_USERNAME": "  ",
        }
    )
    assert settings.smtp_port == 2525 and settings.smtp_security == "ssl" and settings.smtp_timeout == 4.5
    assert settings.smtp_username is None  # blank means unset
    assert Settings.from_env({"REHAB_SMTP_SECURITY": "ssl"}).smtp_port_or_default == 465


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("REHAB_SMTP_PORT", "smtp", "REHAB_SMTP_PORT: 'smtp' is not a whole number"),
        ("REHAB_SMTP_PORT", "70000", "REHAB_SMTP_PORT: 70000 is not a port number"),
        ("REHAB_SMTP_SECURITY", "tls", "REHAB_SMTP_SECURITY: 'tls' is not allowed; use one of starttls, ssl, none"),
        ("REHAB_SMTP_TIMEOUT", "0", "REHAB_SMTP_TIMEOUT: 0 is out of range"),
        ("REHAB_SMTP_TIMEOUT", "soon", "REHAB_SMTP_TIMEOUT: 'soon' is not a number of seconds"),
        (
            "REHAB_DATABASE_URL",
            "mysql://x/y",
            "REHAB_DATABASE_URL: must start with sqlite:/// or postgresql+psycopg://",
        ),
    ],
)
def test_a_bad_value_names_the_variable(name, value, message):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    assert str(caught.value).startswith(message)


def test_redacted_hides_secrets_and_database_passwords():
    settings = Settings.from_env(
        {
            "REHAB_DATABASE_URL": "postgresql+psycopg://rehab:db-s3cret@db.example.org:5433/rehab",
            "REHAB_SMTP_PASSWORD": "smtp-s3cret",
            "REHAB_SMTP_USERNAME": "desk",
        }
    )
    shown = settings.redacted()
    assert set(shown) == {s.name for s in SETTINGS}
    assert shown["REHAB_DATABASE_URL"] == "postgresql+psycopg://rehab:***@db.example.org:5433/rehab"
    assert shown["REHAB_SMTP_PASSWORD"] == "********" and shown["REHAB_SMTP_USERNAME"] == "desk"
    for text in (repr(settings), str(settings), str(shown)):
        assert "s3cret" not in text


def test_urls_without_a_password_are_shown_as_they_are():
    assert redact_url("sqlite:///data/rehab.db") == "sqlite:///data/rehab.db"
    assert redact_url("postgresql+psycopg://rehab@db/rehab") == "postgresql+psycopg://rehab@db/rehab"


def test_docs_storage_lists_every_setting_with_its_default():
    docs = (ROOT / "docs" / "storage.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in docs, setting.name
        if setting.default:
            assert f"`{setting.default}`" in docs, setting.name
