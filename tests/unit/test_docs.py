"""The README documents every field of the program document and every CLI command."""

import re

from rehab.cli import build_parser
from rehab.content.content import load_education
from rehab.domain import PainRule, Patient, Program, ProgramItem, ProgressionRule
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_program_field_is_in_the_readme():
    documented = set(re.findall(r"`([a-z_]+(?:\[\])?(?:\.[a-z_]+)?)`", README))
    expected = {f for f in Program.model_fields if f not in ("patient", "items", "pain_rule", "education")}
    expected |= {f"patient.{f}" for f in Patient.model_fields}
    expected |= {f"items[].{f}" for f in ProgramItem.model_fields}
    expected |= {f"pain_rule.{f}" for f in PainRule.model_fields}
    expected |= set(ProgressionRule.model_fields)
    assert expected - documented == set()


def test_every_education_topic_id_is_in_the_readme():
    assert {t for t in load_education() if f"`{t}`" not in README} == set()


def test_every_cli_command_is_in_the_readme():
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    missing = [name for name in subparsers.choices if f"`{name}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme_with_its_default():
    from rehab.config import SETTINGS

    for setting in SETTINGS:
        row = next((line for line in README.splitlines() if line.startswith(f"| `{setting.name}` |")), None)
        assert row is not None, setting.name
        assert (f"`{setting.default}`" if setting.default else "(empty)") in row
