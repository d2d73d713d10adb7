"""Handout preview: one PNG per PDF page at the asked scale, safe to call from several threads at once."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from pypdf import PdfReader

from rehab import render_handout
from rehab.domain import Patient
from rehab.images import pdf_page_images, thumbnail_png
from rehab.program.templates import program_from_template


@pytest.fixture(scope="module")
def pdf() -> bytes:
    program = program_from_template("phase1_settle", Patient(name="Ολυμπία"))
    return render_handout(program, paper="a4")


def test_every_page_becomes_a_png_of_the_page_size_times_the_scale(pdf):
    pages = pdf_page_images(pdf, 0.5)
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    for png in pages:
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert (image.width, image.height) in {(297, 421), (298, 421), (297, 422), (298, 422)}  # A4 is 595 x 842 pt


def test_a_page_is_not_blank(pdf):
    image = Image.open(io.BytesIO(pdf_page_images(pdf, 0.5)[0])).convert("L")
    low, high = image.getextrema()
    assert high - low > 100  # text and drawings on white


def test_pages_can_be_jpeg_for_the_build_preview_and_only_the_pages_asked_for_are_drawn(pdf):
    pages = pdf_page_images(pdf, 1.0, range(1, 3), image_format="JPEG")
    assert len(pages) == 2
    image = Image.open(io.BytesIO(pages[0]))
    assert image.format == "JPEG" and image.mode == "RGB" and image.width in (595, 596)
    low, high = image.convert("L").getextrema()
    assert high - low > 100
    with pytest.raises(ValueError, match="image_format"):
        pdf_page_images(pdf, 1.0, image_format="GIF")


@pytest.mark.parametrize("scale", [0, -1, 4.5])
def test_a_scale_out_of_range_is_refused(pdf, scale):
    with pytest.raises(ValueError, match="scale"):
        pdf_page_images(pdf, scale)


def test_threads_get_the_same_pages_as_one_caller(pdf):
    alone = pdf_page_images(pdf, 0.3)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: pdf_page_images(pdf, 0.3), range(8)))
    assert all(result == alone for result in results)


def test_a_photo_thumbnail_is_a_small_png_and_never_enlarged():
    big, small = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (1200, 800), (10, 120, 200)).save(big, format="JPEG")
    Image.new("RGBA", (100, 50), (10, 120, 200, 128)).save(small, format="PNG")
    thumb = Image.open(io.BytesIO(thumbnail_png(big.getvalue(), 300)))
    assert (thumb.format, thumb.size) == ("PNG", (300, 200))
    kept = Image.open(io.BytesIO(thumbnail_png(small.getvalue(), 300)))
    assert (kept.size, kept.mode) == ((100, 50), "RGBA")
