"""Saving clinic exercises in batches with photos: all or nothing, checked photos, kept through export/import."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from rehab import services
from rehab.errors import LibraryError
from rehab.storage.db import make_engine
from rehab.storage.errors import InvalidRecord
from rehab.storage.transfer import export_data, import_data
from tests.support.storage_samples import custom_exercise

from .conftest import new_database_url

ACTOR = "t@example.org"


def photo(colour=(10, 120, 200, 128), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", (30, 20), colour if fmt == "PNG" else colour[:3]).save(out, fmt)
    return out.getvalue()


def pair():
    low = custom_exercise("clinic_low").model_copy(
        update={"name": "O'Brien & <Sons> low", "progression": "clinic_high"}
    )
    high = custom_exercise("clinic_high").model_copy(update={"name": "Łukasz high", "regression": "clinic_low"})
    return low, high


def test_several_exercises_linked_to_each_other_save_together_with_a_photo(repo):
    low, high = pair()
    picture = photo()
    saved = services.exercises.save_custom_exercises([low, high], repo=repo, actor=ACTOR,
                                                     photos={"clinic_low": picture})
    assert [ex.id for ex in saved] == ["clinic_low", "clinic_high"] and all(ex.custom for ex in saved)
    assert services.exercises.custom_exercise_photo("clinic_low",
                                                    repo=repo) == picture  # bytes as given: transparency kept
    assert services.exercises.custom_exercise_photo("clinic_high", repo=repo) is None
    library = services.exercises.clinic_library(repo=repo)
    assert library.harder("clinic_low").name == "Łukasz high"
    assert library.get("clinic_low").name == "O'Brien & <Sons> low"


def test_saving_again_keeps_the_photo_unless_it_is_replaced_or_removed(repo):
    low, high = pair()
    services.exercises.save_custom_exercises([low, high], repo=repo, actor=ACTOR, photos={"clinic_low": photo()})
    renamed = low.model_copy(update={"name": "Renamed"})
    services.exercises.save_custom_exercises([renamed], repo=repo, actor=ACTOR)
    assert services.exercises.custom_exercise_photo("clinic_low", repo=repo) == photo()
    jpeg = photo(fmt="JPEG")
    services.exercises.save_custom_exercises([renamed], repo=repo, actor=ACTOR, photos={"clinic_low": jpeg})
    assert services.exercises.custom_exercise_photo("clinic_low", repo=repo) == jpeg
    services.exercises.save_custom_exercises([renamed], repo=repo, actor=ACTOR, photos={"clinic_low": None})
    assert services.exercises.custom_exercise_photo("clinic_low", repo=repo) is None


def test_a_bad_photo_or_a_broken_link_saves_nothing(repo):
    low, high = pair()
    with pytest.raises(InvalidRecord, match="photo: this is not an image"):
        services.exercises.save_custom_exercises([low, high], repo=repo, actor=ACTOR,
                                                 photos={"clinic_low": b"GIF89a..."})
    with pytest.raises(LibraryError):
        services.exercises.save_custom_exercises([low], repo=repo, actor=ACTOR)  # its harder exercise is missing
    assert services.exercises.custom_exercises(repo=repo) == []
    with pytest.raises(InvalidRecord, match="built-in"):
        services.exercises.save_custom_exercises([custom_exercise("glute_bridge")], repo=repo, actor=ACTOR)


def test_photos_survive_export_and_import(request, tmp_path, repo):
    low, high = pair()
    services.exercises.save_custom_exercises([low, high], repo=repo, actor=ACTOR, photos={"clinic_high": photo()})
    data = export_data(repo.engine)
    assert "photo" in data["tables"]["custom_exercises"]["columns"]
    engine = make_engine(new_database_url(request, "sqlite", tmp_path, name="copy"))
    request.addfinalizer(engine.dispose)
    target = services.bootstrap.connect(engine=engine)
    import_data(engine, data)
    assert services.exercises.custom_exercise_photo("clinic_high", repo=target) == photo()
    assert export_data(engine)["tables"] == data["tables"]


def big_photo() -> bytes:
    """A phone-sized JPEG: 4000 x 3000 pixels of a pattern that does not compress to nothing."""
    image = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def card_images(pdf: bytes) -> list[tuple[int, int, int]]:
    """(page number, width, height) of every raster image in the PDF."""
    from pypdf import PdfReader

    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        objects = page["/Resources"].get("/XObject") or {}
        for ref in objects.values():
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Image":
                found.append((number, int(xobject["/Width"]), int(xobject["/Height"])))
    return found


def test_the_handout_card_of_a_clinic_exercise_shows_its_photo_shrunk_for_print(repo):
    from rehab.domain import ProgramItem
    from rehab.services import email as outbox
    from tests.support.storage_samples import sample_program

    picture = big_photo()
    (exercise,) = services.exercises.save_custom_exercises([custom_exercise("clinic_slide")], repo=repo, actor=ACTOR,
                                                photos={"clinic_slide": picture})
    program = sample_program()
    program = program.model_copy(update={"items": (*program.items, ProgramItem(exercise="clinic_slide", reps=10))})
    saved = services.programs.save_program(program, repo=repo, actor=ACTOR)
    assert services.exercises.program_photos(program, repo=repo) == {"clinic_slide": picture}

    pdf = outbox.render_version(saved.program_id, saved.version, repo=repo)
    images = card_images(pdf)  # the built-in exercises are vector drawings: the photo is the only image
    assert {page for page, _, _ in images} >= {1} and len(images) == 2  # the fridge sheet's row and the card
    for _, width, height in images:
        assert max(width, height) == 1000 and width / height == pytest.approx(4 / 3, rel=0.01)
    assert len(pdf) < len(picture)  # shrunk, not the phone's original
    assert outbox.render_version(saved.program_id, saved.version, repo=repo) == pdf  # the same bytes every time


MARKERS = (b"PRIVATE-COMMENT-7d1f", b"PRIVATE-XMP-7d1f", b"PRIVATE-EXIF-7d1f", b"PRIVATE-PNG-TEXT-7d1f")


def tagged_photo(fmt: str) -> bytes:
    """A photo carrying a comment, XMP, EXIF (and for PNG a text chunk and an ICC profile), each with a marker."""
    from PIL import ImageCms, PngImagePlugin

    exif = Image.Exif()
    exif[0x010E] = MARKERS[2].decode()  # ImageDescription
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + MARKERS[1] + b"</x:xmpmeta>"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    if fmt == "JPEG":
        image = Image.radial_gradient("L").convert("RGB")
        image.save(out, "JPEG", comment=MARKERS[0], exif=exif, xmp=xmp, icc_profile=icc)
    else:
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", MARKERS[3].decode())
        image = Image.radial_gradient("L").convert("RGBA")
        image.save(out, "PNG", pnginfo=text, exif=exif, icc_profile=icc)
    data = out.getvalue()
    assert any(marker in data for marker in MARKERS)
    return data


def image_objects(pdf: bytes) -> set[int]:
    """The object numbers of the raster images the pages use: a photo shown twice is one object."""
    from pypdf import PdfReader

    return {ref.idnum for page in PdfReader(io.BytesIO(pdf)).pages
            for ref in (page["/Resources"].get("/XObject") or {}).values()
            if ref.get_object()["/Subtype"] == "/Image"}


def pdf_streams(pdf: bytes) -> bytes:
    """The PDF's bytes and the decoded data of every image in it, so a marker in a compressed stream is found too."""
    from pypdf import PdfReader

    parts = [pdf]
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in (page["/Resources"].get("/XObject") or {}).values():
            parts.append(ref.get_object().get_data())
    return b"".join(parts)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_no_comment_xmp_exif_or_text_of_a_photo_reaches_the_handout(repo, fmt):
    from rehab.domain import ProgramItem
    from rehab.services import email as outbox
    from tests.support.storage_samples import sample_program

    services.exercises.save_custom_exercises([custom_exercise("clinic_slide")], repo=repo, actor=ACTOR,
                                  photos={"clinic_slide": tagged_photo(fmt)})
    program = sample_program()
    program = program.model_copy(update={"items": (*program.items, ProgramItem(exercise="clinic_slide", reps=10))})
    saved = services.programs.save_program(program, repo=repo, actor=ACTOR)
    pdf = outbox.render_version(saved.program_id, saved.version, repo=repo)
    assert len(image_objects(pdf)) == 1  # embedded once, shown on the fridge sheet's row and on the card
    streams = pdf_streams(pdf)
    assert [marker for marker in MARKERS if marker in streams] == []
    assert b"ICC_PROFILE" not in streams and b"Exif\x00\x00" not in streams


def test_a_bad_photo_given_to_the_renderer_is_named_and_no_pdf_is_made():
    from rehab.errors import RehabError
    from rehab.handout import render_handout
    from tests.support.storage_samples import sample_program

    with pytest.raises(RehabError, match=r"photos\[clinic_slide\]: this is not an image"):
        render_handout(sample_program(), photos={"clinic_slide": b"<svg onload=alert(1)>"})


def test_a_version_renders_the_same_handout_after_the_clinic_edits_its_exercise_and_photo(repo):
    from rehab.domain import ProgramItem
    from rehab.services import email as outbox
    from tests.support.storage_samples import sample_program

    low, high = pair()
    services.exercises.save_custom_exercises([low, high], repo=repo, actor=ACTOR, photos={"clinic_low": photo()})
    program = sample_program()
    program = program.model_copy(update={"items": (*program.items, ProgramItem(exercise="clinic_low", reps=10))})
    first = services.programs.save_program(program, repo=repo, actor=ACTOR)
    before = outbox.render_version(first.program_id, 1, repo=repo)

    renamed_low = low.model_copy(update={"name": "Renamed low", "steps": ("One new step.", "Two.", "Three.")})
    renamed_high = high.model_copy(update={"name": "Renamed high"})
    services.exercises.save_custom_exercises([renamed_low, renamed_high], repo=repo, actor=ACTOR,
                                  photos={"clinic_low": photo(colour=(200, 30, 30, 255))})
    assert outbox.render_version(first.program_id, 1, repo=repo) == before  # as handed out, photo included
    _, kept, library, photos = services.programs.version_handout(first.program_id, 1, repo=repo)
    assert (library.get("clinic_low").name, library.harder("clinic_low").name) == (
        "O'Brien & <Sons> low", "Łukasz high")
    assert photos == {"clinic_low": photo()}
    assert services.programs.get_version(first.program_id, 1, repo=repo)[1] == kept

    second = services.programs.save_program(program, repo=repo, actor=ACTOR, program_id=first.program_id,
                                            base_version=1)
    _, _, library, photos = services.programs.version_handout(first.program_id, second.version, repo=repo)
    assert library.get("clinic_low").name == "Renamed low" and photos == {"clinic_low": photo((200, 30, 30, 255))}
    assert outbox.render_version(first.program_id, 2, repo=repo) != before

    patient = services.patients.add_patient({"name": "Other Patient"}, repo=repo, actor=ACTOR)
    copy = services.programs.copy_program(first.program_id, patient.id, repo=repo, actor=ACTOR, version=1)
    _, _, library, _ = services.programs.version_handout(copy.program_id, 1, repo=repo)
    assert library.get("clinic_low").name == "O'Brien & <Sons> low"  # a copy starts from the version as it was


def test_a_clinic_exercise_planned_as_a_switch_in_is_kept_with_the_version(repo):
    from rehab.domain import PlannedSwitch
    from tests.support.storage_samples import sample_program

    own = custom_exercise("clinic_switch_in").model_copy(update={"name": "Our switch-in"})
    services.exercises.save_custom_exercises([own], repo=repo, actor=ACTOR)
    program = sample_program()
    first_item = program.items[0].model_copy(update={"switch": PlannedSwitch(from_week=2, exercise=own.id)})
    program = program.model_copy(update={"items": (first_item, *program.items[1:])})
    saved = services.programs.save_program(program, repo=repo, actor=ACTOR)
    services.exercises.save_custom_exercises([own.model_copy(update={"name": "Renamed later"})], repo=repo, actor=ACTOR)
    _, _, library, _ = services.programs.version_handout(saved.program_id, 1, repo=repo)
    assert library.get(own.id).name == "Our switch-in"  # the handout's card for it re-renders as handed out
