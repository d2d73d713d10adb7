"""The clinic settings form: plain messages, email templates in the profile, the page-1 preview."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from rehab.domain.clinic import Clinic, ClinicError, load_clinic
from rehab.mail import DEFAULT_SUBJECT_TEMPLATE
from rehab.services.clinic import SAMPLE_PATIENT, build_clinic, email_example, first_page_png, sample_program


def png(size=(40, 20), mode="RGBA", colour=(200, 30, 30, 0)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


def problems(**values) -> list[str]:
    with pytest.raises(ClinicError) as caught:
        build_clinic({"name": "Clinic", **values})
    return caught.value.problems


@pytest.mark.parametrize(("values", "expected"), [
    ({"name": "  "}, "Clinic name is required."),
    ({"phone": "1" * 41}, "Phone is too long (41 characters; at most 40)."),
    ({"primary_color": "red"}, "Brand colour must be a colour like #1F5F8B."),
    ({"default_paper": "a5"}, "Paper size must be A4 or Letter."),
    ({"logo": b"GIF89a not really"}, "Logo: this is not an image Pillow can read; use a PNG or JPEG file."),
    ({"email_subject_template": "Hi {patient}"}, "Email subject: subject template, line 1: unknown placeholder "
                                                 "{patient}; use one of {patient_first_name}, {clinician}, "
                                                 "{clinic_name}, {clinic_phone}."),
    ({"email_subject_template": "Two\nlines"}, "Email subject: the subject must be one line."),
    ({"email_body_template": "Hello {patient_first_name.__class__}"}, "Email text: body template, line 1: unknown "
                                                                      "placeholder {patient_first_name.__class__}"),
])
def test_bad_values_get_plain_messages_naming_the_field_in_words(values, expected):
    assert any(line.startswith(expected) for line in problems(**values)), problems(**values)


def test_all_problems_are_listed_together():
    assert len(problems(name="", primary_color="x", default_paper="a3")) == 3


def test_email_templates_are_optional_profile_fields_that_round_trip_through_json():
    clinic = build_clinic({"name": "Knee & <Run>", "email_subject_template": "Your plan from {clinic_name}",
                           "email_body_template": "Hi {patient_first_name},\nCall {clinic_phone}.\n{clinician}"})
    again = load_clinic(clinic.model_dump(mode="json"))
    assert again == clinic
    assert Clinic(name="X").email_subject_template == "" and Clinic(name="X").email_body_template == ""
    assert Clinic(name="X", email_body_template="   ").email_body_template == ""


def test_the_email_example_uses_the_clinic_templates_or_the_defaults():
    clinic = Clinic(name="O'Brien & <Sons>", phone="")
    subject, body = email_example(clinic)
    assert subject == DEFAULT_SUBJECT_TEMPLATE.format(clinic_name="O'Brien & <Sons>")
    assert "call us" not in body.lower()  # the line with the empty phone number is left out
    own = clinic.model_copy(update={"email_subject_template": "{clinic_name}: exercises for {patient_first_name}",
                                    "email_body_template": "Dear {patient_first_name}"})
    assert email_example(own) == (f"O'Brien & <Sons>: exercises for {SAMPLE_PATIENT.split()[0]}",
                                  f"Dear {SAMPLE_PATIENT.split()[0]}")


def test_the_preview_is_page_1_of_the_real_handout_in_the_brand_colour():
    clinic = Clinic(name="Colour Test Clinic", primary_color="#C0392B", logo=png())
    image = Image.open(io.BytesIO(first_page_png(clinic, scale=1.0))).convert("RGB")
    assert abs(image.width - 595) <= 1 and abs(image.height - 842) <= 1  # A4 at 72 dpi
    letter = Image.open(io.BytesIO(first_page_png(Clinic(name="Letter Clinic", default_paper="letter"), scale=1.0)))
    assert abs(letter.width - 612) <= 1 and abs(letter.height - 792) <= 1
    colours = image.getcolors(maxcolors=1_000_000)
    near_brand = sum(n for n, (r, g, b) in colours if abs(r - 0xC0) < 40 and g < 90 and b < 90)
    assert near_brand > 2000  # the header rule and the table heads are drawn in the brand colour


def test_the_sample_program_names_no_real_person():
    program = sample_program()
    assert program.patient.name == SAMPLE_PATIENT and program.patient.email is None
    assert [item.exercise for item in program.items] == ["glute_bridge", "clamshell"]
