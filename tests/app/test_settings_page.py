"""Clinic settings page: branding with a live preview, validated logo, contact details, email status and test."""

from __future__ import annotations

import io

from PIL import Image
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.domain.clinic import Paper
from tests.conftest import ROOT
from tests.support.servers import closed_port, smtp_server  # noqa: F401 - fixtures
from ui.text import md

APP = str(ROOT / "app.py")
HOSTILE = "O'Brien & <Sons> Physio"


def settings_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("app_pages/settings.py").run()
    assert not at.exception
    return at


def stored():
    return services.clinic.get_clinic(repo=services.bootstrap.connect(Settings.from_env()))


def transparent_png() -> bytes:
    image = Image.new("RGBA", (120, 60), (0, 0, 0, 0))
    image.paste((30, 90, 160, 255), (10, 10, 110, 50))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_new_clinic_is_told_what_to_do_first_and_sees_a_preview():
    at = settings_page()
    assert at.title[0].value == "Clinic settings"
    assert "not set up yet" in at.info[0].value
    assert any(i.value[0].endswith(".png") for i in at.image)  # page 1 of the sample handout
    assert "Email is off" in at.info[1].value
    assert stored() is None


def test_branding_and_contact_details_are_saved_literally():
    at = settings_page()
    at.text_input(key="settings_name").input(HOSTILE)
    at.color_picker(key="settings_color").pick("#aa3300")
    at.text_area(key="settings_address").input("1 Ολυμπία Street\nЮлия Town")
    at.text_input(key="settings_phone").input("+48 123 456 789")
    at.text_input(key="settings_email").input("desk@example.org")
    at.text_input(key="settings_website").input("www.example.org")
    at.text_input(key="settings_footer").input("Łukasz Żółć & team")
    at.radio(key="settings_paper").set_value("letter")
    at.toggle(key="settings_large").set_value(True)
    at.run()
    assert "Not saved yet." in [c.value for c in at.caption]
    at.button(key="settings_save").click().run()
    assert not at.exception and not at.error
    assert "Saved" in at.success[0].value
    clinic = stored()
    assert clinic.name == HOSTILE and clinic.primary_color == "#aa3300"
    assert clinic.address == "1 Ολυμπία Street\nЮлия Town" and clinic.footer_note == "Łukasz Żółć & team"
    assert clinic.default_paper is Paper.LETTER and clinic.large_print is True
    assert "Everything is saved." in [c.value for c in at.caption]


def test_a_bad_logo_is_refused_plainly_and_a_good_one_is_kept_byte_for_byte():
    at = settings_page()
    at.file_uploader(key="settings_logo_upload").set_value(("logo.png", b"GIF89a fake", "image/png")).run()
    assert "This logo cannot be used" in at.error[0].value
    logo = transparent_png()
    at.file_uploader(key="settings_logo_upload").set_value(("logo.png", logo, "image/png")).run()
    assert not at.error
    at.text_input(key="settings_name").input("Logo Clinic").run()
    at.button(key="settings_save").click().run()
    assert stored().logo == logo  # not re-encoded: transparency is kept
    at.button(key="settings_logo_remove").click().run()
    at.button(key="settings_save").click().run()
    assert stored().logo is None


def test_invalid_values_are_explained_and_not_saved():
    at = settings_page()
    at.text_input(key="settings_name").input("   ")
    at.text_input(key="settings_subject").input("Hello {patient}").run()
    assert "The preview returns when these are fixed" in at.warning[0].value
    at.button(key="settings_save").click().run()
    message = at.error[0].value
    assert "Clinic name is required" in message and "unknown placeholder" in message
    assert "email_subject_template" not in message
    assert stored() is None


def test_email_templates_are_saved_and_shown_as_an_example():
    at = settings_page()
    at.text_input(key="settings_name").input(HOSTILE)
    at.text_input(key="settings_subject").input("Exercises from {clinic_name}")
    at.text_area(key="settings_body").input("Hi {patient_first_name},\nCall us on {clinic_phone}.").run()
    assert f"Subject: Exercises from {HOSTILE}" in at.text[0].value
    assert "Call us" not in at.text[0].value  # no phone yet: that line is left out
    at.button(key="settings_save").click().run()
    clinic = stored()
    assert clinic.email_subject_template == "Exercises from {clinic_name}"
    assert clinic.email_body_template == "Hi {patient_first_name},\nCall us on {clinic_phone}."


def test_edits_survive_a_switch_to_another_page_and_back():
    at = settings_page()
    at.text_input(key="settings_name").input("Unsaved Clinic").run()
    at.switch_page("app_pages/templates.py").run()
    at.switch_page("app_pages/settings.py").run()
    assert at.text_input(key="settings_name").value == "Unsaved Clinic"


def email_env(monkeypatch, port: int) -> None:
    monkeypatch.setenv("REHAB_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("REHAB_SMTP_PORT", str(port))
    monkeypatch.setenv("REHAB_SMTP_SECURITY", "none")
    monkeypatch.setenv("REHAB_MAIL_FROM", "Knee Clinic <desk@example.org>")
    monkeypatch.setenv("REHAB_SMTP_TIMEOUT", "3")


def test_the_email_status_never_shows_the_password_and_a_test_email_is_sent(monkeypatch, smtp_server):  # noqa: F811
    email_env(monkeypatch, smtp_server.port)
    monkeypatch.setenv("REHAB_SMTP_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("REHAB_SMTP_USERNAME", "desk")
    monkeypatch.setenv("REHAB_SMTP_SECURITY", "starttls")
    at = settings_page()
    shown = " ".join(m.value for m in at.markdown)
    assert "127\\.0\\.0\\.1" in shown and f"port {smtp_server.port}" in shown and "starttls" in shown
    assert "hunter2" not in shown and "hunter2" not in str(at)
    monkeypatch.delenv("REHAB_SMTP_PASSWORD")
    monkeypatch.delenv("REHAB_SMTP_USERNAME")
    monkeypatch.setenv("REHAB_SMTP_SECURITY", "none")
    at = settings_page()
    at.text_input(key="settings_test_to").input("zoe@example.org")
    at.button(key="settings_test_send").click().run()
    assert not at.exception
    assert md("Test email sent to zoe@example.org") in at.success[0].value
    (received,) = smtp_server.inbox.received
    assert received.rcpt_tos == ["zoe@example.org"]


def test_a_test_email_that_fails_says_why_in_plain_words(monkeypatch, closed_port):  # noqa: F811
    email_env(monkeypatch, closed_port)
    at = settings_page()
    at.text_input(key="settings_test_to").input("not an address")
    at.button(key="settings_test_send").click().run()
    assert "check the address" in at.error[0].value
    at.text_input(key="settings_test_to").input("zoe@example.org")
    at.button(key="settings_test_send").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("The test email was not sent")
    assert "connection refused" in at.error[0].value


def test_the_emergency_number_starts_at_112_with_help_and_a_local_one_is_saved():
    at = settings_page()
    field = at.text_input(key="settings_emergency")
    assert field.value == "112"
    assert "999" in field.help and "911" in field.help
    at.text_input(key="settings_name").input("Knee Clinic")
    field.input(" 999 ").run()
    at.button(key="settings_save").click().run()
    assert not at.error
    assert stored().emergency_number == "999"


def test_a_bad_emergency_number_is_explained_naming_the_field_and_not_saved():
    at = settings_page()
    at.text_input(key="settings_name").input("Knee Clinic")
    at.text_input(key="settings_emergency").input("call 999").run()
    assert md("Emergency number: use digits and spaces") in at.warning[0].value
    at.button(key="settings_save").click().run()
    assert md("Emergency number: use digits and spaces") in at.error[0].value
    at.text_input(key="settings_emergency").input("").run()
    at.button(key="settings_save").click().run()
    assert md("Emergency number: required") in at.error[0].value
    assert stored() is None


def test_the_handout_layout_starts_compact_and_the_clinics_choice_is_saved():
    at = settings_page()
    choice = at.radio(key="settings_layout")
    assert choice.value == "compact" and choice.options == [
        "Compact: a fridge sheet, then three exercises a page", "Booklet: one exercise a page, with every tip"]
    at.text_input(key="settings_name").input("Knee Clinic")
    choice.set_value("booklet").run()
    at.button(key="settings_save").click().run()
    assert not at.error
    assert stored().handout_layout == "booklet"


def test_the_clinics_handout_language_is_chosen_in_settings():
    at = settings_page()
    assert at.selectbox(key="settings_language").value == "en"
    at.selectbox(key="settings_language").set_value("pl").run()
    at.button(key="settings_save").click().run()
    assert not at.exception
    assert stored().language == "pl"
