"""docs/email.md keeps up with the code: every mail setting, the default wording and the retry schedule."""

import re

from rehab.config import SETTINGS
from rehab.mail import (
    DEFAULT_BODY_TEMPLATE,
    DEFAULT_SUBJECT_TEMPLATE,
    LOCKED_PDF_NOTE,
    MAX_ATTEMPTS,
    RETRY_DELAYS_SECONDS,
)
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "email.md").read_text(encoding="utf-8")


def test_every_mail_setting_is_in_the_table_with_its_default():
    table = DOC.split("## Settings", 1)[1].split("###", 1)[0]
    rows = dict(re.findall(r"^\| `(REHAB_\w+)` \| ([^|]+) \|", table, flags=re.M))
    mail_settings = [s for s in SETTINGS if s.name.startswith(("REHAB_SMTP_", "REHAB_MAIL_"))]
    assert sorted(rows) == sorted(s.name for s in mail_settings)
    for setting in mail_settings:
        assert rows[setting.name].strip() == (f"`{setting.default}`" if setting.default else "(empty)"), setting.name


def test_the_default_wording_is_shown_as_sent():
    assert f"Subject: {DEFAULT_SUBJECT_TEMPLATE}\n\n{DEFAULT_BODY_TEMPLATE}```" in DOC
    assert f'"{LOCKED_PDF_NOTE}"' in " ".join(DOC.split())


def test_the_retry_schedule_matches_the_code():
    words = {60: "1 minute", 300: "5 minutes", 900: "15 minutes", 3600: "1 hour", 14400: "4 hours"}
    for attempt, delay in enumerate(RETRY_DELAYS_SECONDS, start=1):
        assert f"| {attempt} | {words[delay]} |" in DOC
    assert f"| {MAX_ATTEMPTS} | give up: failed with `gave up after {MAX_ATTEMPTS} attempts: <last reason>` |" in DOC
