"""The Build page's second language (issue 18): chosen beside the handout language, kept in the saved version,
and printed beneath the first in every handout made from it; cleared, and said so, when it becomes the first."""

from __future__ import annotations

import io

from pypdf import PdfReader

from rehab import services
from rehab.domain import Language
from rehab.domain.clinic import default_clinic
from tests.app.test_build import ACTOR, started, work
from ui.text import md

SPANISH, POLISH = "Cómo hacer cada ejercicio", "Jak robić każde ćwiczenie"


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def one_line(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


def test_a_second_language_chosen_on_build_is_saved_and_printed_beneath(repo, pdfs):
    at = started()
    second = at.selectbox(key="build_f_second_language")
    assert second.options[second.index] == "None: one language"  # shown as chosen, not as a placeholder
    at.selectbox(key="build_f_language").set_value("es").run()
    second = at.selectbox(key="build_f_second_language")
    assert "Spanish (español)" not in second.options  # never the handout's own language
    second.set_value("pl").run()
    assert not at.exception and work(at).second_language == "pl"
    # The clinician sees each language's translation state, named; Polish and Spanish both need review.
    captions = [c.value for c in at.caption if "clinical review" in c.value]
    assert [c.partition(md(":"))[0] for c in captions] == [md("Spanish (español)"), md("Polish (polski)")], captions
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    assert not at.exception
    shown = one_line(page_texts(pdfs[-1]))
    assert SPANISH in shown and POLISH in shown
    at.button(key="build_save").click().run()
    assert not at.exception
    [summary] = services.programs.list_programs(repo=repo)
    _, program = services.programs.get_version(summary.id, repo=repo)
    assert (program.patient.language, program.patient.second_language) == ("es", "pl")
    downloaded = services.programs.handout_pdf(summary.id, repo=repo, actor=ACTOR)
    emailed = services.email.render_version(summary.id, repo=repo)
    for pdf in (downloaded, emailed):
        text = one_line(page_texts(pdf))
        assert SPANISH in text and POLISH in text and "review" not in text.lower()


def test_choosing_the_second_language_as_the_first_clears_the_second_and_says_so():
    at = started()
    at.selectbox(key="build_f_language").set_value("es").run()
    at.selectbox(key="build_f_second_language").set_value("pl").run()
    at.selectbox(key="build_f_language").set_value("pl").run()
    assert not at.exception and not at.error
    assert work(at).language == "pl" and work(at).second_language is None
    second = at.selectbox(key="build_f_second_language")
    assert second.options[second.index] == "None: one language"
    assert any(c.value.startswith("Second language cleared: Polish (polski) is now the handout language")
               for c in at.caption)
    at.run()  # said once, not on every rerun
    assert not any(c.value.startswith("Second language cleared") for c in at.caption)


def test_a_saved_second_language_that_became_the_clinics_language_is_cleared_on_opening_and_said(repo):
    """Saved with the clinic's language (English) first and Spanish beneath; the clinic then switched to Spanish.
    The saved version prints one language; opened on Build, the second language is cleared, and the page says so."""
    at = started()
    at.selectbox(key="build_f_second_language").set_value("es").run()
    at.button(key="build_save").click().run()
    at.button(key="build_close_work").click().run()
    clinic = services.clinic.get_clinic(repo=repo) or default_clinic()
    services.clinic.save_clinic(clinic.model_copy(update={"language": Language.ES}), repo=repo, actor=ACTOR)
    [summary] = services.programs.list_programs(repo=repo)
    text = one_line(page_texts(services.programs.handout_pdf(summary.id, repo=repo, actor=ACTOR)))
    assert SPANISH in text and "How to do each exercise" not in text
    at.button(key="build_start_edit").click().run()
    assert not at.exception
    assert work(at).language is None and work(at).second_language is None
    assert any(c.value.startswith("Second language cleared: Spanish (español) is now the handout language")
               for c in at.caption)
