"""The patient link's page over HTTP (Starlette's test client, a real SQLite database): the handout's words with
the moving drawings, escaped; strict headers; the same 404 page for every link that does not work; the PDF;
check-ins that need this page's form and origin, are size limited and rate limited."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import io
import re

import pytest
import streamlit as st
from PIL import Image
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from rehab import services
from rehab.config import Settings
from rehab.domain.clinic import Clinic
from rehab.domain.links import CheckInKind
from rehab.domain.records import AuditAction
from rehab.services import patient_links as links
from rehab.storage import tables as t
from server.headers import SecurityHeaders
from server.patient_route import form_token, routes
from tests.security.hostile import MARKUP
from tests.support.storage_samples import custom_exercise, sample_program
from ui.context import accounts_repository

SAME_SITE = {"sec-fetch-site": "same-origin"}
HOSTILE = "O'Brien & <Sons>"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'link.db'}"
    monkeypatch.setenv("REHAB_DATABASE_URL", url)
    st.cache_resource.clear()
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": url}))
    yield repo
    repo.engine.dispose()
    accounts_repository().engine.dispose()  # the route's own engine (one per server), before it is forgotten
    st.cache_resource.clear()


@pytest.fixture
def web() -> TestClient:
    app = Starlette(routes=routes(), middleware=[Middleware(SecurityHeaders)])
    return TestClient(app, follow_redirects=False)


def make_link(repo, name: str = "Zoë Ñúñez", notes: str = "", start: dt.date | None = None) -> tuple[int, str]:
    services.clinic.save_clinic(Clinic(name="Knee <Clinic> & Co", phone="020 7946 0000", emergency_number="999"),
                                repo=repo, actor="ana@example.org")
    program = sample_program(name).model_copy(update={"notes": notes, **({"start_date": start} if start else {})})
    program_id = services.programs.save_program(program, repo=repo, actor="ana@example.org").program_id
    _, token = links.create_link(program_id, repo=repo, actor="ana@example.org")
    return program_id, token


def post(web, token, fields, headers=SAME_SITE, path=None):
    return web.post(path or f"/p/{token}/check-in", data={"csrf": form_token(token), **fields}, headers=headers)


def test_the_page_shows_the_handout_words_drawings_help_and_first_name_only(repo, web):
    program_id, token = make_link(repo)
    response = web.get(f"/p/{token}")
    assert response.status_code == 200
    page = response.text
    _, program = services.programs.get_version(program_id, repo=repo)
    assert "Hello Zoë." in page and "Ñúñez" not in page  # the first name only
    assert "Knee &lt;Clinic&gt; &amp; Co" in page and "<Clinic>" not in page
    assert page.count("<svg") == len(program.items) and "<animate" in page  # one moving drawing per exercise
    assert "Call us on" in page or "020 7946 0000" in page
    assert 'href="tel:999"' in page and 'href="tel:02079460000"' in page
    assert f'href="/p/{token}/handout.pdf"' in page
    for heading in ("How much pain is okay?", "After you exercise", "The next morning", "Once a week"):
        assert heading in page
    assert "<script" not in page.lower()


def test_a_clinic_exercise_shows_its_photo_inline_small_and_named(repo, web):
    from rehab.domain import ProgramItem

    big = io.BytesIO()
    Image.effect_noise((2400, 1600), 60).convert("RGB").save(big, "JPEG", quality=90)  # far too big to send as is
    custom = custom_exercise("clinic_slide").model_copy(update={"name": "Wall slide <Łukasz>"})
    services.exercises.save_custom_exercises([custom], repo=repo, actor="ana@example.org",
                                             photos={"clinic_slide": big.getvalue()})
    program = sample_program().model_copy(update={"items": (ProgramItem(exercise="clinic_slide", reps=10),)})
    program_id = services.programs.save_program(program, repo=repo, actor="ana@example.org").program_id
    _, token = links.create_link(program_id, repo=repo, actor="ana@example.org")
    page = web.get(f"/p/{token}")
    assert page.status_code == 200
    [(data, alt)] = re.findall(r'<img src="data:image/jpeg;base64,([^"]+)" alt="([^"]*)">', page.text)
    assert alt == "Wall slide &lt;Łukasz&gt;"
    with Image.open(io.BytesIO(base64.b64decode(data))) as shown:
        assert shown.format == "JPEG" and shown.width == 360
    assert len(data) < 60_000 and len(gzip.compress(page.content)) < 150_000  # the page's size budget holds


def test_every_user_text_is_escaped(repo, web):
    notes = "\n\n".join(MARKUP) + "\n\n" + "x" * 5000
    program_id, token = make_link(repo, name=HOSTILE, notes=notes)
    _, program = services.programs.get_version(program_id, repo=repo)
    items = (program.items[0].model_copy(update={"notes": "<b>bold</b> & 'quotes' Юлия"}), *program.items[1:])
    services.programs.save_program(program.model_copy(update={"title": "<i>Knee</i> & Ολυμπία", "items": items}),
                                   repo=repo, actor="ana@example.org", program_id=program_id, base_version=1)
    services.clinic.save_clinic(Clinic(name="O'Brien & <Sons>", phone="<b>0</b> 123 456", emergency_number="999"),
                                repo=repo, actor="ana@example.org")
    page = web.get(f"/p/{token}").text
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Hello O&#x27;Brien." in page
    assert "&lt;i&gt;Knee&lt;/i&gt; &amp; Ολυμπία" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &#x27;quotes&#x27; Юлия" in page
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in page and "&lt;b&gt;0&lt;/b&gt;" in page
    assert "x" * 5000 in page


def test_the_page_sends_no_store_no_referrer_noindex_and_a_strict_csp(repo, web):
    _, token = make_link(repo)
    headers = web.get(f"/p/{token}").headers
    assert headers["cache-control"] == "no-store" and headers["referrer-policy"] == "no-referrer"
    assert headers["x-robots-tag"].startswith("noindex")
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert "script-src" not in csp  # nothing may run: default-src 'none' covers scripts
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", csp)


def test_the_page_is_sent_compressed_and_stays_under_150_kb(repo, web):
    _, token = make_link(repo)
    response = web.get(f"/p/{token}", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    size = len(gzip.compress(response.content))  # what travels (the client has already decompressed it)
    assert size < 150_000


def test_expired_revoked_and_made_up_links_get_the_same_404_page(repo, web):
    program_id, token = make_link(repo)
    made_up = web.get("/p/" + "A" * 43)
    assert made_up.status_code == 404 and "This link no longer works" in made_up.text
    assert made_up.headers["cache-control"] == "no-store"
    links.revoke_link(program_id, repo=repo, actor="ana@example.org")
    revoked = web.get(f"/p/{token}")
    assert (revoked.status_code, revoked.text) == (404, made_up.text)
    assert web.get(f"/p/{token}/handout.pdf").status_code == 404
    assert post(web, token, {"kind": "week", "pain": "3"}).status_code == 404
    _, token = make_link(repo, name="Юлия", start=dt.date(2020, 1, 6))
    links.create_link(program_id, repo=repo, actor="ana@example.org")  # no effect on the other program's link
    with repo.engine.begin() as connection:  # a program that ended in 2020, its link made then: expired
        connection.execute(t.patient_links.update().where(t.patient_links.c.token_hash == links.token_hash(token))
                           .values(expires_at=dt.datetime(2020, 3, 1, tzinfo=dt.UTC)))
    expired = web.get(f"/p/{token}")
    assert (expired.status_code, expired.text) == (404, made_up.text)


def test_the_pdf_is_the_handout_of_the_version_shown(repo, web):
    program_id, token = make_link(repo)
    response = web.get(f"/p/{token}/handout.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.headers["content-disposition"] == 'attachment; filename="my-exercises.pdf"'
    renders = [e for e in services.audit.audit_trail(repo=repo) if e.action is AuditAction.PROGRAM_RENDER]
    assert renders[0].actor.startswith("patient link ") and renders[0].program_id == program_id


def test_a_check_in_saves_and_comes_back_to_the_page_saying_so(repo, web):
    program_id, token = make_link(repo)
    _, program = services.programs.get_version(program_id, repo=repo)
    first = program.items[0].exercise
    response = post(web, token, {"kind": "session", "done": [first], "pain": "4"})
    assert response.status_code == 303 and response.headers["location"] == f"/p/{token}?saved=session#check-in"
    assert "Your session is saved" in web.get(response.headers["location"]).text
    post(web, token, {"kind": "morning", "morning": "worse"})
    post(web, token, {"kind": "week", "pain": "6"})
    kept = links.check_ins([program_id], repo=repo)
    assert [(c.kind, c.done, c.pain) for c in kept] == [
        (CheckInKind.SESSION, (first,), 4), (CheckInKind.MORNING, (), None), (CheckInKind.WEEK, (), 6)]


def test_check_ins_from_other_sites_without_the_form_or_too_large_are_refused(repo, web):
    program_id, token = make_link(repo)
    assert post(web, token, {"kind": "week", "pain": "3"}, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert post(web, token, {"kind": "week", "pain": "3"}, headers={"origin": "https://evil.example"}).status_code \
        == 403
    no_form = web.post(f"/p/{token}/check-in", data={"kind": "week", "pain": "3"}, headers=SAME_SITE)
    assert no_form.status_code == 400
    assert post(web, token, {"kind": "week", "pain": "3", "x": "y" * 5000}).status_code == 400
    for bad in ({"kind": "week", "pain": "11"}, {"kind": "week", "pain": "-1"}, {"kind": "nap"},
                {"kind": "session", "done": ["not_ours"]}, {"kind": "morning", "morning": "<b>"}):
        response = post(web, token, bad)
        assert response.status_code == 400 and "did not save" in response.text
    assert links.check_ins([program_id], repo=repo) == []


def test_check_ins_are_rate_limited_per_link(repo, web):
    _, token = make_link(repo)
    for _ in range(links.CHECK_INS_PER_HOUR):
        assert post(web, token, {"kind": "week", "pain": "2"}).status_code == 303
    busy = post(web, token, {"kind": "week", "pain": "2"})
    assert busy.status_code == 429 and "try again later" in busy.text
    _, other = make_link(repo, name="Юлия")
    assert post(web, other, {"kind": "week", "pain": "2"}).status_code == 303  # another link is not held up


def test_a_reload_shows_a_new_version_and_a_changed_clinic_profile_at_once(repo, web):
    program_id, token = make_link(repo, notes="First notes.")
    assert "First notes." in web.get(f"/p/{token}").text  # and now kept in the page cache
    program = sample_program().model_copy(update={"notes": "Second notes."})
    services.programs.save_program(program, repo=repo, actor="ana@example.org", program_id=program_id,
                                   base_version=1)
    page = web.get(f"/p/{token}").text
    assert "Second notes." in page and "Version 2." in page
    services.clinic.save_clinic(Clinic(name="Renamed Clinic", phone="1", emergency_number="112"), repo=repo,
                                actor="ana@example.org")
    assert "Renamed Clinic" in web.get(f"/p/{token}").text
    assert "Renamed Clinic" in web.get(f"/p/{token}", headers={"accept-encoding": "identity"}).text


def test_under_a_base_path_the_page_its_form_and_its_pdf_stay_under_it(repo):
    _, token = make_link(repo)
    web = TestClient(Starlette(routes=routes("/clinic/")), follow_redirects=False)
    page = web.get(f"/clinic/p/{token}").text
    assert f'action="/clinic/p/{token}/check-in"' in page and f'href="/clinic/p/{token}/handout.pdf"' in page
    saved = post(web, f"{token}", {"kind": "week", "pain": "1"}, path=f"/clinic/p/{token}/check-in")
    assert saved.headers["location"] == f"/clinic/p/{token}?saved=week#check-in"
    assert web.get(f"/p/{token}").status_code == 404  # not served outside the base path


def test_a_photo_that_cannot_be_read_leaves_the_card_without_a_picture_instead_of_failing():
    from rehab.services.patient_page import _inline_photo

    assert _inline_photo(b"\x89PNG\r\n\x1a\n broken") is None
