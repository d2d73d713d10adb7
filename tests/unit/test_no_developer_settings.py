"""What tests/conftest.py keeps from the developer's environment: nothing the app reads, only the test run's own
options."""

import os

from rehab.config import SETTINGS
from tests.conftest import TEST_RUN_OPTIONS, without_developer_settings


def test_every_app_setting_and_every_other_rehab_name_is_dropped():
    shell = {s.name: "x" for s in SETTINGS} | {"REHAB_NEW_USER_PASSWORD": "x", "REHAB_SOMETHING_NEW": "x",
                                               "PATH": "/usr/bin", "HOME": "/home/dev"}
    assert without_developer_settings(shell) == {"PATH": "/usr/bin", "HOME": "/home/dev"}


def test_the_test_runs_own_options_are_kept():
    shell = dict.fromkeys(TEST_RUN_OPTIONS, "1")
    assert without_developer_settings(shell) == shell


def test_a_test_starts_with_no_app_setting_in_its_environment():
    assert [name for name in os.environ if name.startswith("REHAB_") and name not in TEST_RUN_OPTIONS] == []

