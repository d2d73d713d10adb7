"""The handout email is built from templates, escapes every value, and refuses anything that could forge headers."""

from __future__ import annotations

import email
import email.policy
import html
from html.parser import HTMLParser

import pytest
import textstat

from rehab.mail import (
    DEFAULT_BODY_TEMPLATE,
    DEFAULT_SUBJECT_TEMPLATE,
    LOCKED_PDF_NOTE,
    MAX_ATTACHMENT_BYTES,
    InvalidEmail,
    build_handout_email,
    build_test_email,
    placeholders_in,
)

PDF = b"%PDF-1.4\n% a tiny stand-in; the SMTP tests attach a real reportlab PDF\n%%EOF\n"
NAMES = ["O'Brien & <Sons>", "Łukasz Żółć", "Ολυμπία", "Юлия"]
BREAKS = ["\r\n", "\n", "\r", "\u2028", "\x85"]


def build(**changes):
    fields = dict(
        to="zoe@example.org",
        patient_first_name="Zoë",
        clinician="Test Clinician",
        clinic_name="Test Clinic",
        clinic_phone="555 0100",
        clinic_email="desk@clinic.example.org",
        mail_from="noreply@clinic.example.org",
        reply_to=None,
        pdf_bytes=PDF,
    )
    fields.update(changes)
    return build_handout_email(**fields)


def reparsed(msg):
    """The message as a receiving server would parse it."""
    return email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)


def text_of(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(markup: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(markup)
    return "".join(parser.parts), parser.tags


# --- templates -------------------------------------------------------------------------------------------------


def test_default_templates_fill_in_every_placeholder():
    msg = reparsed(build())
    assert msg["Subject"] == "Your exercise program from Test Clinic"
    text = text_of(msg)
    assert text.startswith("Hello Zoë,\n")
    assert "call us at 555 0100." in text
    assert text.rstrip().endswith("Best wishes,\nTest Clinician\nTest Clinic")
    assert "{" not in text and "}" not in text


def test_default_body_is_plain_words():
    body = DEFAULT_BODY_TEMPLATE.format(
        patient_first_name="Sam", clinician="Alex", clinic_name="Town Clinic", clinic_phone="555 0100"
    )
    assert textstat.flesch_kincaid_grade(body) <= 6
    assert textstat.flesch_kincaid_grade(LOCKED_PDF_NOTE) <= 6
    assert placeholders_in(DEFAULT_SUBJECT_TEMPLATE, name="subject") == ("clinic_name",)


def test_clinic_templates_use_all_four_placeholders():
    msg = reparsed(
        build(
            subject_template="{patient_first_name}: your plan from {clinician}",
            body_template="Hi {patient_first_name}.\n{clinician} at {clinic_name} made this.\nPhone {clinic_phone}.",
        )
    )
    assert msg["Subject"] == "Zoë: your plan from Test Clinician"
    assert text_of(msg) == "Hi Zoë.\nTest Clinician at Test Clinic made this.\nPhone 555 0100.\n"


def test_a_line_with_an_empty_value_is_left_out():
    text = text_of(reparsed(build(clinic_phone="", clinician=None)))
    assert "call us" not in text
    assert text.rstrip().endswith("Best wishes,\nTest Clinic")


def test_doubled_braces_are_literal_and_braces_in_values_are_never_filled_in():
    msg = reparsed(build(clinic_name="{clinic_phone}", body_template="{{note}} from {clinic_name}"))
    assert text_of(msg) == "{note} from {clinic_phone}\n"


@pytest.mark.parametrize(
    ("template", "complaint"),
    [
        ("Hello {patient_name}", "unknown placeholder {patient_name}"),
        ("Hello {clinic_name.__class__}", "unknown placeholder {clinic_name.__class__}"),
        ("Hello {clinic_name[0]}", "unknown placeholder {clinic_name[0]}"),
        ("Hello {0}", "unknown placeholder {0}"),
        ("Hello {}", "empty placeholder {}"),
        ("Hello {clinic_name!r}", "{clinic_name} takes no format or conversion"),
        ("Hello {clinic_name:>40}", "{clinic_name} takes no format or conversion"),
        ("Hello {patient_first_name", "a stray '{' or '}'"),
        ("50% off }", "a stray '{' or '}'"),
    ],
)
def test_bad_body_templates_name_the_template_line_and_placeholder(template, complaint):
    with pytest.raises(InvalidEmail) as caught:
        build(body_template="Line one\n" + template)
    assert str(caught.value).startswith("body template, line 2: ")
    assert complaint in str(caught.value)


def test_a_bad_subject_template_is_named_as_the_subject():
    with pytest.raises(InvalidEmail, match=r"^subject template, line 1: unknown placeholder \{name\}"):
        build(subject_template="For {name}")


def test_a_subject_that_ends_up_empty_is_refused():
    with pytest.raises(InvalidEmail, match="subject template: the subject is empty"):
        build(subject_template="{clinic_phone}", clinic_phone="")


# --- escaping ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_names_survive_every_header_and_part_exactly(name):
    msg = reparsed(build(patient_first_name=name, clinician=name, clinic_name=name,
                         subject_template="{patient_first_name} from {clinic_name}"))
    assert msg["From"].addresses[0].display_name == name
    assert msg["Reply-To"].addresses[0].display_name == name
    assert msg["Subject"] == f"{name} from {name}"
    assert text_of(msg).startswith(f"Hello {name},\n")
    markup = html_of(msg)
    assert f"<p>Hello {html.escape(name)},</p>" in markup
    shown, tags = visible_text(markup)
    assert f"Hello {name}," in shown
    assert set(tags) == {"html", "head", "meta", "title", "body", "p", "br"}  # a name never becomes a tag


def test_html_escapes_quotes_ampersands_and_angle_brackets():
    markup = html_of(reparsed(build(clinic_name="O'Brien & <Sons>")))
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in markup
    assert "<Sons>" not in markup and "& <" not in markup


# --- header injection ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line_break", BREAKS)
@pytest.mark.parametrize(
    "field",
    ["patient_first_name", "clinician", "clinic_name", "clinic_phone", "subject_template"],
)
def test_line_breaks_in_names_and_subject_are_refused(field, line_break):
    with pytest.raises(InvalidEmail, match=f"^{field}: contains a line break"):
        build(**{field: f"Test{line_break}Bcc: victim@example.org"})


@pytest.mark.parametrize("line_break", BREAKS)
@pytest.mark.parametrize("field", ["to", "mail_from", "reply_to", "clinic_email"])
def test_line_breaks_in_addresses_are_refused(field, line_break):
    with pytest.raises(InvalidEmail, match=f"^{field}: contains a line break"):
        build(**{field: f"a@example.org{line_break}Bcc: victim@example.org"})


def test_a_line_break_in_a_recipient_list_is_refused():
    with pytest.raises(InvalidEmail, match="^to: contains a line break"):
        build(to=["zoe@example.org\r\nBcc: victim@example.org"])


def test_other_control_characters_are_refused():
    with pytest.raises(InvalidEmail, match=r"^clinic_name: contains a control character \(U\+0000\)"):
        build(clinic_name="Test\x00Clinic")


def test_the_built_message_has_exactly_the_expected_headers():
    msg = reparsed(build())
    assert list(msg.keys()) == [
        "From", "To", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"
    ]


# --- addresses -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "zoe", "zoe@", "@example.org", "zoe@example", "zoe @example.org", "zoe@@example.org", "zoe@localhost", "",
        "ü@example.org",
    ],
)
def test_bad_recipient_addresses_are_refused(address):
    with pytest.raises(InvalidEmail, match="^to: not a valid email address"):
        build(to=address)


@pytest.mark.parametrize(
    "to", ["a@example.org, b@example.org", "a@example.org;b@example.org", ["a@example.org", "b@example.org"], []]
)
def test_exactly_one_recipient(to):
    with pytest.raises(InvalidEmail, match="^to: exactly one recipient"):
        build(to=to)


def test_a_one_item_recipient_list_is_fine():
    assert reparsed(build(to=["zoe@example.org"]))["To"].addresses[0].addr_spec == "zoe@example.org"


def test_an_international_domain_is_sent_in_ascii():
    assert reparsed(build(to="zoe@bücher.example"))["To"].addresses[0].addr_spec == "zoe@xn--bcher-kva.example"


@pytest.mark.parametrize("field", ["mail_from", "reply_to", "clinic_email"])
def test_bad_clinic_addresses_name_the_field(field):
    with pytest.raises(InvalidEmail, match=f"^{field}: "):
        build(**{field: "not an address"})


def test_from_shows_the_clinic_name_even_when_the_sender_setting_has_another():
    msg = reparsed(build(mail_from="Mail Robot <noreply@clinic.example.org>", clinic_name="Test Clinic"))
    (sender,) = msg["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Test Clinic", "noreply@clinic.example.org")


def test_reply_to_prefers_the_setting_then_the_clinic_then_the_sender():
    def reply(**changes):
        return reparsed(build(**changes))["Reply-To"].addresses[0].addr_spec

    assert reply(reply_to="Front Desk <front@clinic.example.org>") == "front@clinic.example.org"
    assert reply() == "desk@clinic.example.org"
    assert reply(clinic_email="") == "noreply@clinic.example.org"


def test_message_id_uses_the_sender_domain_and_date_is_set():
    msg = reparsed(build())
    assert msg["Message-ID"].endswith("@clinic.example.org>")
    assert msg["Date"].datetime.tzinfo is not None
    assert build()["Message-ID"] != build()["Message-ID"]


def test_a_clinic_name_is_required():
    with pytest.raises(InvalidEmail, match="^clinic_name: empty"):
        build(clinic_name="  ")


# --- attachment ------------------------------------------------------------------------------------------------------


def test_the_pdf_is_attached_under_a_neutral_name():
    (attachment,) = reparsed(build()).iter_attachments()
    assert attachment.get_filename() == "exercise-program.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_an_attachment_of_exactly_10_mb_is_allowed_and_one_byte_more_is_not():
    exactly = PDF + b"\0" * (MAX_ATTACHMENT_BYTES - len(PDF))
    assert len(build(pdf_bytes=exactly).as_bytes()) > MAX_ATTACHMENT_BYTES
    with pytest.raises(InvalidEmail, match=r"^attachment: the PDF is 10\.0 MB; at most 10 MB"):
        build(pdf_bytes=exactly + b"\0")


def test_only_a_pdf_can_be_attached():
    with pytest.raises(InvalidEmail, match="^attachment: this is not a PDF file"):
        build(pdf_bytes=b"GIF89a")


@pytest.mark.parametrize("filename", ["../exercise-program.pdf", "program.exe", "zoe-program.pdf", ".pdf", "a b.pdf"])
def test_file_names_stay_neutral_and_safe(filename):
    with pytest.raises(InvalidEmail, match="^filename: "):
        build(filename=filename)


# --- password note ---------------------------------------------------------------------------------------------------


def test_a_locked_pdf_gets_a_note_that_the_password_comes_separately():
    msg = reparsed(build(password_protected=True))
    assert text_of(msg).rstrip().endswith(LOCKED_PDF_NOTE)
    assert html.escape(LOCKED_PDF_NOTE) in html_of(msg)


def test_an_open_pdf_gets_no_password_note():
    msg = reparsed(build(password_protected=False))
    assert "password" not in text_of(msg).lower() and "password" not in html_of(msg).lower()


def test_the_builder_cannot_be_given_a_password():
    with pytest.raises(TypeError):
        build(password="secret-pdf-password")


# --- test email ------------------------------------------------------------------------------------------------------


def test_the_test_email_names_the_server_and_the_sender():
    msg = reparsed(
        build_test_email(to="a@example.org", mail_from="Test Clinic <desk@clinic.example.org>", reply_to=None,
                         server="mail.example.org:587 (starttls)")
    )
    assert msg["From"].addresses[0].display_name == "Test Clinic"
    assert msg["Reply-To"].addresses[0].addr_spec == "desk@clinic.example.org"
    assert "mail.example.org:587 (starttls)" in text_of(msg)
    assert list(msg.iter_attachments()) == []


def test_the_apps_own_email_text_is_in_the_patients_language_and_a_clinics_own_template_is_not():
    from rehab.words import speaking

    with speaking("pl"):
        msg = build(password_protected=True)
        own = build(subject_template="Program from {clinic_name}", body_template="Hi {patient_first_name}")
    body = msg.get_body(("plain",)).get_content()
    assert str(msg["Subject"]) == "Twoje ćwiczenia od Test Clinic"
    assert body.startswith("Dzień dobry, Zoë,") and "555 0100" in body and "zabezpieczony hasłem" in body
    assert str(own["Subject"]) == "Program from Test Clinic"
    assert str(build()["Subject"]) == "Your exercise program from Test Clinic"  # English outside the block
