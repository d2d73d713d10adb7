"""The patient link page in the program's language (issue 18): every fixed word through the catalogues, ``lang``
and ``dir`` on the page, the thank-you in that language after a check-in, and the 404 and stop pages in the
browser's language (they name no program)."""

from __future__ import annotations

import html as html_lib

import pytest

from rehab import services
from rehab.domain import Language
from rehab.words import speaking
from rehab.words.page import PAGE, page_word
from server.patient_page import browser_language, gone_page
from tests.integration.test_patient_route import make_link, post, repo, web  # noqa: F401  (fixtures)

SHOWN = ("chosen", "download", "to_help", "to_check_in", "after", "which_done", "save_session", "next_morning",
         "better", "worse", "weekly", "save_week", "check_in_note", "reminders", "private", "scale")


def in_language(store, token_program: int, language: str) -> None:
    _, program = services.programs.get_version(token_program, repo=store)
    patient = program.patient.model_copy(update={"language": Language(language)})
    services.programs.save_program(program.model_copy(update={"patient": patient}), repo=store,
                                   actor="ana@example.org", program_id=token_program, base_version=1)


@pytest.mark.parametrize("language", ["es", "pl", "ar"])
def test_the_link_page_speaks_the_programs_language(repo, web, language):  # noqa: F811
    program_id, token = make_link(repo)
    in_language(repo, program_id, language)
    page = html_lib.unescape(web.get(f"/p/{token}").text)
    direction = ' dir="rtl"' if language == "ar" else ""
    assert f'<html lang="{language}"{direction}>' in page
    with speaking(language):
        assert page_word("hello", name="Zoë") in page
        missing = [key for key in SHOWN if page_word(key) not in page]
    assert not missing
    english = [key for key in SHOWN if PAGE[key] in page]
    assert not english, f"English left on the {language} page: {english}"


def test_the_thank_you_after_a_check_in_is_in_the_programs_language(repo, web):  # noqa: F811
    program_id, token = make_link(repo)
    in_language(repo, program_id, "pl")
    response = post(web, token, {"kind": "week", "pain": "2"})
    assert response.status_code == 303
    page = html_lib.unescape(web.get(response.headers["location"].split("#")[0]).text)
    assert "Dziękujemy. Twoja odpowiedź za ten tydzień jest zapisana." in page
    problem = html_lib.unescape(post(web, token, {"kind": "week", "pain": "eleven"}).text)
    assert "Nie zapisano." in problem and "did not save" not in problem


def test_the_404_page_follows_the_browsers_language(repo, web):  # noqa: F811
    spanish = web.get("/p/" + "A" * 43, headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    assert spanish.status_code == 404 and '<html lang="es">' in spanish.text
    assert "Este enlace ya no funciona" in spanish.text and "no longer works" not in spanish.text
    arabic = web.get("/p/" + "A" * 43, headers={"accept-language": "fr-FR, ar;q=0.4"})
    assert '<html lang="ar" dir="rtl">' in arabic.text and "هذا الرابط لم يعد يعمل" in arabic.text
    assert "This link no longer works" in web.get("/p/" + "A" * 43).text


@pytest.mark.parametrize(("header", "chosen"), [
    ("", "en"), ("pl", "pl"), ("de-DE,de;q=0.9", "en"), ("en;q=0.5, ar;q=0.8", "ar"), ("es;q=0, pl;q=0.1", "pl"),
    ("es;q=bogus, pl", "pl"), ("*", "en"), ("ES-es", "es"), ("x" * 5000, "en"),
])
def test_the_browsers_language_is_read_by_its_weights(header, chosen):
    assert browser_language(header) == chosen


def test_the_pages_without_a_program_escape_nothing_they_did_not_write():
    page = gone_page("<script>")
    assert '<html lang="en">' in page and "<script>" not in page


@pytest.mark.parametrize("language", ["en", "es", "pl", "ar"])
def test_refused_posts_are_answered_in_the_programs_language(repo, web, language):  # noqa: F811
    """A check-in or a reminder change from another site, without this page's form, or over the size limit: the
    plain-text refusal in the program's language whatever the browser asks for (the link names the program)."""
    program_id, token = make_link(repo)
    if language != "en":
        in_language(repo, program_id, language)
    with speaking(language):
        origin, form = page_word("refused_origin"), page_word("refused_form")
    browser = {"accept-language": "de-DE, pl;q=0.5" if language != "pl" else "es"}
    for path in (f"/p/{token}/check-in", f"/p/{token}/reminders"):
        answers = [
            (post(web, token, {"kind": "week"}, {**browser, "sec-fetch-site": "cross-site"}, path), 403, origin),
            (web.post(path, data={"kind": "week"}, headers={**browser, "sec-fetch-site": "same-origin"}), 400, form),
            (post(web, token, {"x": "y" * 5000}, {**browser, "sec-fetch-site": "same-origin"}, path), 400, form),
        ]
        for response, status, said in answers:
            assert (response.status_code, response.text) == (status, said), path
            assert response.headers["content-type"] == "text/plain; charset=utf-8"
            assert response.headers["content-language"] == language
    assert (language == "en") == (origin == PAGE["refused_origin"])  # translated, not the English fallback


@pytest.mark.parametrize(("header", "said"), [("es-ES,es;q=0.9", "Rechazado: es demasiado grande."),
                                              ("ar", "مرفوض: الحجم كبير جدًا."), ("", "Refused: too large.")])
def test_an_over_limit_stop_post_is_refused_in_the_browsers_language(web, header, said):  # noqa: F811
    """The reminders' stop address names no program: its refusal follows Accept-Language, like its page."""
    response = web.post("/r/" + "A" * 32, content=b"x=" + b"y" * 5000,
                        headers={"accept-language": header, "content-type": "application/x-www-form-urlencoded"})
    assert (response.status_code, response.text) == (400, said)
