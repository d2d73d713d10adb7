"""The clinic profile rehab.clinic/1 and its logo checks: PNG or JPEG, at most 5 MB and 25 megapixels."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest
from PIL import Image

from rehab.domain.clinic import (
    Clinic,
    ClinicError,
    Paper,
    clinic_json_schema,
    default_clinic,
    dump_clinic,
    load_clinic,
)
from rehab.images import MAX_IMAGE_BYTES, check_image


def image_bytes(fmt: str, size=(40, 20), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(out, fmt)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: what a decompression bomb looks like before decoding."""
    data = bytearray(image_bytes("PNG", (1, 1)))
    ihdr = bytearray(data[12:29])  # chunk type + 13 bytes of IHDR data
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


def document(**changes) -> dict:
    doc = {"format": "rehab.clinic/1", "name": "Riverside Physio", "phone": "+44 20 7946 0958",
           "email": "hello@example.org", "website": "www.example.org", "address": "12 Example Street\nLondon",
           "primary_color": "#1F5F8B", "footer_note": "Ask us anything.", "default_paper": "letter",
           "large_print": True}
    doc.update(changes)
    return doc


def problems(source, **kw) -> list[str]:
    with pytest.raises(ClinicError) as caught:
        load_clinic(source, **kw)
    return caught.value.problems


def test_a_clinic_file_with_every_field_loads_and_reads_its_logo_relative_to_the_file(tmp_path):
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(image_bytes("PNG"))
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(document(logo="brand/logo.png")), encoding="utf-8")
    clinic = load_clinic(path)
    assert clinic.name == "Riverside Physio"
    assert clinic.default_paper is Paper.LETTER and clinic.large_print is True
    assert clinic.logo == image_bytes("PNG")


def test_dump_clinic_round_trips_with_the_logo_path(tmp_path):
    (tmp_path / "logo.jpg").write_bytes(image_bytes("JPEG"))
    clinic = load_clinic(document(logo="logo.jpg"), base_dir=tmp_path)
    path = tmp_path / "again.json"
    path.write_text(dump_clinic(clinic, "logo.jpg"), encoding="utf-8")
    assert load_clinic(path) == clinic


def test_the_json_schema_documents_the_logo_as_a_path():
    schema = clinic_json_schema()
    assert schema["$id"] == "rehab.clinic/1"
    assert schema["properties"]["logo"]["type"] == ["string", "null"]
    assert set(document()) <= set(schema["properties"])


def test_default_clinic_is_neutral_and_has_no_logo_file():
    clinic = default_clinic()
    assert clinic.logo is None and clinic.phone == "" and clinic.qr_url() is None


@pytest.mark.parametrize(("website", "url"), [
    ("www.example.org", "https://www.example.org"),
    ("http://example.org/knee", "http://example.org/knee"),
    ("", None),
    ("not a url", None),
])
def test_qr_url_adds_https_when_the_scheme_is_missing(website, url):
    assert Clinic(name="X", website=website).qr_url() == url


@pytest.mark.parametrize(("changes", "expected"), [
    ({"primary_color": "blue"}, "primary_color: 'blue' is not allowed here"),
    ({"primary_color": "#12345"}, "primary_color"),
    ({"default_paper": "a5"}, "default_paper: 'a5' is not allowed; use one of 'a4' or 'letter'"),
    ({"name": "   "}, "name: must not be empty"),
    ({"colour": "#000000"}, "colour: is not a known field"),
    ({"format": "rehab.clinic/2"}, "format: 'rehab.clinic/2' is not supported; expected 'rehab.clinic/1'"),
])
def test_bad_fields_are_named(changes, expected):
    assert any(expected in line for line in problems(document(**changes))), problems(document(**changes))


def test_not_json_and_missing_files_are_clear(tmp_path):
    bad = tmp_path / "c.json"
    bad.write_text("{nope", encoding="utf-8")
    assert "not valid JSON" in problems(bad)[0]
    assert "file not found" in problems(tmp_path / "missing.json")[0]


def test_missing_logo_file_is_named(tmp_path):
    assert problems(document(logo="nope.png"), base_dir=tmp_path) == [f"logo: file not found: {tmp_path / 'nope.png'}"]


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "the image file is empty"),
    (b"this is not an image", "not an image Pillow can read; use a PNG or JPEG file"),
    (image_bytes("GIF"), "GIF images are not supported; use a PNG or JPEG file"),
    (image_bytes("BMP"), "BMP images are not supported"),
    (image_bytes("PNG", (200, 200))[:-200], "damaged or cut off"),
    (png_claiming(6000, 5000), "6000 × 5000 pixels (30.0 megapixels); at most 25 megapixels"),
    (png_claiming(20000, 20000), "too many pixels; at most 25 megapixels"),
    (b"\x89PNG" + b"\x00" * MAX_IMAGE_BYTES, "the image is 5.0 MB; at most 5 MB"),
])
def test_bad_logos_are_refused_with_the_reason(data, expected):
    with pytest.raises(ValueError, match=None) as caught:
        check_image(data)
    assert expected in str(caught.value)
    with pytest.raises(ClinicError) as as_clinic:
        load_clinic(document(logo=data))
    assert as_clinic.value.problems[0].startswith("logo: ")
    assert expected in as_clinic.value.problems[0]


def test_an_oversized_logo_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG" + b"\x00" * (MAX_IMAGE_BYTES + 10))
    assert problems(document(logo="big.png"), base_dir=tmp_path)[0].startswith("logo: big.png is 5.0 MB")


def test_good_logos_pass(tmp_path):
    assert check_image(image_bytes("PNG", (300, 100), "RGBA"))[:3] == ("PNG", 300, 100)
    assert check_image(image_bytes("JPEG"))[0] == "JPEG"
    assert check_image(image_bytes("PNG", (5000, 5000), "1"))[1:] == (5000, 5000)  # exactly 25 megapixels


def test_logo_bytes_are_checked_when_a_clinic_is_built_directly():
    with pytest.raises(ValueError, match="GIF images are not supported"):
        Clinic(name="X", logo=image_bytes("GIF"))
