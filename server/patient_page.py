"""The patient's page as plain HTML and CSS (issue 16): no script, no Streamlit, nothing from another site.

Every string from the content model, the clinic profile or the program is escaped here (``_e``) before it goes
into markup. The moving drawings are our own SVGs, inline. The Content-Security-Policy is built from the page
itself: each inline <style> is allowed by its SHA-256 and nothing else runs or loads.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape

from rehab.domain import Language
from rehab.domain.links import CheckInKind
from rehab.handout_content.model import Advice, Card, HandoutContent, PainLight, Section
from rehab.services.patient_page import PatientPage
from rehab.words import current_language, speaking
from rehab.words.formats import weekdays_long
from rehab.words.handout import w
from rehab.words.page import page_word as t

PAIN_SCALE = range(0, 11)
LANGUAGE_CODES = frozenset(language.value for language in Language)
MORNING = ("better", "same", "worse")  # the answers' values; their words are rehab/words/page.py's
# What a saved form or a problem says, by the value in the address (``?saved=`` / ``?problem=``): page-word keys.
SAVED = {
    "reminders": "saved_reminders",
    "reminders_off": "saved_reminders_off",
    CheckInKind.SESSION.value: "saved_session",
    CheckInKind.MORNING.value: "saved_morning",
    CheckInKind.WEEK.value: "saved_week",
}
PROBLEMS = {"form": "problem_form", "busy": "problem_busy"}

CSS = """
*{box-sizing:border-box}
body{margin:0;font:1.125rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2430;
background:#f5f7f9}
main,header>div,footer{max-width:44rem;margin:0 auto;padding:0 1rem}
header{background:#fff;border-top:.5rem solid var(--brand);border-bottom:1px solid #d5dce2;padding:1rem 0}
header p{margin:.25rem 0}
.clinic{font-weight:700;color:#1c2430}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.3rem;margin:0 0 .5rem}
h3{font-size:1.1rem;margin:1rem 0 .25rem}
section,article{background:#fff;border:1px solid #d5dce2;border-radius:.5rem;padding:1rem;margin:1rem 0}
.drawing{max-width:360px;margin:.5rem 0}.drawing svg,.drawing img{display:block;width:100%;height:auto}
.dose{font-weight:700}
ol,ul{padding-inline-start:1.5rem}
details{border-top:1px solid #d5dce2;padding:.5rem 0}
summary{cursor:pointer;font-weight:700;padding:.25rem 0}
.zone{border-inline-start:.5rem solid #1c2430;padding:.25rem .75rem;margin:.5rem 0}
.zone.green{border-color:#1b7a3a}.zone.amber{border-color:#a86100}.zone.red{border-color:#b3261e}
.help{border:2px solid #b3261e}
a{color:#0b4f8a}
.button,button{display:inline-block;font:inherit;font-weight:700;background:#0b4f8a;color:#fff;border:0;
border-radius:.4rem;padding:.7rem 1.2rem;margin:.5rem 0;text-decoration:none;cursor:pointer}
fieldset{border:1px solid #d5dce2;border-radius:.4rem;margin:.75rem 0;padding:.5rem .75rem}
legend{font-weight:700;padding:0 .25rem}
label{display:flex;align-items:center;padding:.35rem 0}
.scale{display:flex;flex-wrap:wrap;gap:.25rem}
.scale label{display:inline-flex;align-items:center;justify-content:center;min-width:2.75rem;min-height:2.75rem;
border:1px solid #8a97a3;border-radius:.4rem;padding:0 .4rem}
input[type=checkbox],input[type=radio]{width:1.3rem;height:1.3rem;margin-inline-end:.5rem}
.scale input{margin-inline-end:.25rem}
.status{background:#e6f4ea;border:2px solid #1b7a3a;border-radius:.4rem;padding:.75rem}
.problem{background:#fdecea;border:2px solid #b3261e;border-radius:.4rem;padding:.75rem}
footer{color:#4a5663;font-size:1rem;padding-bottom:2rem}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n"))


def _points(points: tuple[str, ...], tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(f"<li>{_e(p)}</li>" for p in points) + f"</{tag}>" if points else ""


def _section(section: Section | None) -> str:
    if section is None:
        return ""
    paragraphs = "".join(f"<p>{_lines(p)}</p>" for p in section.paragraphs)
    return f"<section><h2>{_e(section.heading)}</h2>{paragraphs}{_points(section.points)}</section>"


def _advice(advice: Advice) -> str:
    return (f"<details><summary>{_e(advice.heading)}</summary><p>{_e(advice.lead)}</p>{_points(advice.points)}"
            + "".join(f"<p>{_e(p)}</p>" for p in advice.then) + "</details>")


def _card(card: Card, drawing: str | None, photo: str | None = None) -> str:
    heading = f'<h2 id="ex-{card.number}">{card.number}. {_e(card.name)}</h2>'
    parts = [f'<article aria-labelledby="ex-{card.number}">{heading}']
    if card.later:
        parts.append(f"<p><strong>{_e(t('later'))}</strong></p>")
    if drawing:
        parts.append(f'<div class="drawing">{drawing}</div>')
    elif photo:  # a data URI we made (base64 of our own JPEG): nothing in it needs escaping but the name
        parts.append(f'<div class="drawing"><img src="{photo}" alt="{_e(card.name)}"></div>')
    if card.summary:
        parts.append(f"<p>{_e(card.summary)}</p>")
    parts.append(f'<p class="dose">{_e(card.dose)}</p>')
    parts.append("".join(f"<p>{_e(text)}</p>" for text in (card.rest, card.often) if text))
    parts.append(f"<h3>{_e(w('steps'))}</h3>{_points(card.steps, 'ol')}")
    if card.tips:
        parts.append(f"<h3>{_e(w('cues'))}</h3>{_points(card.tips)}")
    if card.cautions:
        parts.append(f"<h3>{_e(w('cautions'))}</h3>{_points(card.cautions)}")
    if card.note:
        parts.append(f"<h3>{_e(w('item_note'))}</h3><p>{_lines(card.note)}</p>")
    parts.append(_advice(card.easy) + _advice(card.hurts) + "</article>")
    return "".join(parts)


def _pain(pain: PainLight) -> str:
    zones = "".join(
        f'<p class="zone {z.colour if z.colour in ("green", "amber", "red") else ""}">'
        f"<strong>{_e(z.name)} ({_e(z.numbers)}):</strong> {_e(z.text)}</p>" for z in pain.zones)
    return (f'<section aria-labelledby="pain"><h2 id="pain">{_e(pain.heading)}</h2><p>{_e(pain.intro)}</p>{zones}'
            f"<p>{_e(pain.settle)}</p></section>")


def _tel(text: str) -> str:
    """The sentence with its phone numbers made into links a phone can call (the digits as written)."""
    out, last = [], 0
    for match in re.finditer(r"\+?\d[\d ()./-]{1,30}\d|\b\d{3}\b", text):
        number = re.sub(r"[^\d+]", "", match.group())
        out.append(_e(text[last:match.start()]) + f'<a href="tel:{_e(number)}">{_e(match.group())}</a>')
        last = match.end()
    return "".join(out) + _e(text[last:])


def _help(content: HandoutContent) -> str:
    box = content.help
    groups = "".join(f"<h3>{_e(g.lead)}</h3>{_points(g.points)}" if g.lead else _points(g.points)
                     for g in box.groups)
    contacts = "".join(f"<p><strong>{_tel(c)}</strong></p>" for c in box.contacts)
    return (f'<section class="help" aria-labelledby="help"><h2 id="help">{_e(box.heading)}</h2>{contacts}{groups}'
            "</section>")


def _scale(name: str, legend: str) -> str:
    boxes = "".join(f'<label><input type="radio" name="{name}" value="{n}" required>{n}</label>' for n in PAIN_SCALE)
    return (f"<fieldset><legend>{_e(legend)}</legend><p>{_e(t('scale'))}</p>"
            f'<div class="scale">{boxes}</div></fieldset>')


def _form(action: str, csrf: str, kind: CheckInKind, heading: str, body: str, button: str) -> str:
    return (f'<section aria-labelledby="ci-{kind.value}"><h3 id="ci-{kind.value}">{_e(heading)}</h3>'
            f'<form method="post" action="{_e(action)}"><input type="hidden" name="csrf" value="{_e(csrf)}">'
            f'<input type="hidden" name="kind" value="{kind.value}">{body}<button type="submit">{_e(button)}</button>'
            "</form></section>")


def _check_ins(page: PatientPage, action: str, csrf: str) -> str:
    done = "".join(f'<label><input type="checkbox" name="done" value="{_e(eid)}">{_e(name)}</label>'
                   for eid, name in page.today)
    session = _form(action, csrf, CheckInKind.SESSION, t("after"),
                    f"<fieldset><legend>{_e(t('which_done'))}</legend>{done}</fieldset>"
                    + _scale("pain", t("pain_during")), t("save_session"))
    morning_choices = "".join(f'<label><input type="radio" name="morning" value="{v}" required>{_e(t(v))}</label>'
                              for v in MORNING)
    morning = _form(action, csrf, CheckInKind.MORNING, t("next_morning"),
                    f"<fieldset><legend>{_e(t('how_morning'))}</legend>{morning_choices}</fieldset>",
                    t("save_morning"))
    week = _form(action, csrf, CheckInKind.WEEK, t("weekly"), _scale("pain", t("pain_week")), t("save_week"))
    intro = f'<h2 id="check-in">{_e(t("to_check_in"))}</h2><p>{_e(t("check_in_note"))}</p>'
    return intro + session + morning + week


def _checked(on: bool) -> str:
    return " checked" if on else ""


def _reminders(page: PatientPage, action: str, csrf: str) -> str:
    head = f'<section aria-labelledby="remind"><h2 id="remind">{_e(t("reminders"))}</h2>'
    if not page.can_remind:
        return head + f"<p>{_e(t('ask_email'))}</p></section>"
    hidden = f'<input type="hidden" name="csrf" value="{_e(csrf)}">'
    days = "".join(f'<label><input type="checkbox" name="day" value="{n}"{_checked(n in page.reminder_days)}>'
                   f"{_e(day)}</label>" for n, day in enumerate(weekdays_long(current_language())))
    state = (f"<p><strong>{_e(t('reminders_on'))}</strong> {_e(t('change_days'))}</p>"
             if page.reminder_days else f"<p>{_e(t('would_you'))}</p>")
    form = (f'<form method="post" action="{_e(action)}">{hidden}<fieldset><legend>{_e(t("remind_on"))}</legend>'
            f"{days}</fieldset><p>{_e(t('consent'))}</p>"
            f'<button type="submit">{_e(t("save_days"))}</button></form>')
    stop = (f'<form method="post" action="{_e(action)}">{hidden}<input type="hidden" name="stop" value="1">'
            f'<button type="submit">{_e(t("stop"))}</button></form>') if page.reminder_days else ""
    return head + state + form + stop + "</section>"


def _message(saved: str | None, problem: str | None) -> str:
    if saved in SAVED:
        return f'<p class="status" role="status">{_e(t(SAVED[saved]))}</p>'
    if problem in PROBLEMS:
        return f'<p class="problem" role="alert">{_e(t(PROBLEMS[problem]))}</p>'
    return ""


def render(page: PatientPage, *, base: str, csrf: str, saved: str | None = None,
           problem: str | None = None) -> str:
    """The whole page. ``base``: the link's own address (``/p/<token>``), for the form and the PDF."""
    c = page.content
    with speaking(page.language):  # every fixed word in the page's language, like the handout's
        return _document(c.title, _body(page, base, csrf, saved, problem), page.colour, page.language)


def _body(page: PatientPage, base: str, csrf: str, saved: str | None, problem: str | None) -> str:
    c = page.content
    hello = t("hello", name=page.first_name) + " " if page.first_name else ""
    kinds = "".join(f"<li><strong>{_e(k.label)}: {_e(k.often.lower())}.</strong> {_e(k.minutes_text)}</li>"
                    for k in c.kinds)
    cards = "".join(_card(card, page.drawings.get(card.exercise_id), page.photos.get(card.exercise_id))
                    for card in c.cards)
    notes = ("<section><h2>" + _e(c.notes_heading) + "</h2>" + "".join(f"<p>{_lines(n)}</p>" for n in c.notes)
             + "</section>") if c.notes else ""
    return (
        f'<header><div><p class="clinic">{_e(page.clinic_name)}</p><h1>{_e(c.title)}</h1>'
        f"<p>{_e(hello)}{_e(t('chosen'))}</p></div></header>"
        f'<main>{_message(saved, problem)}'
        f'<section aria-labelledby="plan"><h2 id="plan">{_e(c.exercises_heading)}</h2><ul>{kinds}</ul>'
        f'<p>{_e(c.rest_days)}</p><p><a class="button" href="{_e(base)}/handout.pdf" download>'
        f"{_e(t('download'))}</a></p>"
        f'<p><a href="#help">{_e(t("to_help"))}</a> · <a href="#check-in">{_e(t("to_check_in"))}</a></p></section>'
        f"{_section(c.purpose)}{_section(c.equipment)}{_pain(c.pain)}{cards}{_section(c.cards_rules)}{notes}"
        f"{_help(c)}{_check_ins(page, base + '/check-in', csrf)}{_reminders(page, base + '/reminders', csrf)}</main>"
        f"<footer><p>{_e(c.prepared.label)}: {_e(c.prepared.value)}. {_e(t('version', version=page.version))}</p>"
        f"<p>{_e(t('private'))}</p></footer>"
    )


def _document(title: str, body: str, colour: str = "#1F5F8B", language: str = "en") -> str:
    colour = colour if re.fullmatch(r"#[0-9A-Fa-f]{6}", colour) else "#1F5F8B"
    language = _known(language)
    direction = ' dir="rtl"' if language == "ar" else ""  # Arabic right to left: the browser mirrors the page
    return (f'<!doctype html><html lang="{language}"{direction}><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="robots" content="noindex, nofollow">'
            f"<title>{_e(title)}</title><style>:root{{--brand:{colour}}}{CSS}</style></head><body>{body}</body></html>")


def stop_page(action: str, stopped: bool, language: str = "en") -> str:
    """The reminder emails' stop link: one button (a link alone must not stop them: mail scanners open links).
    ``language``: the browser's (``browser_language``), as nothing on this page names the program."""
    with speaking(_known(language)) as spoken:
        if stopped:
            body = (f"<main><section><h1>{_e(t('stopped_title'))}</h1><p>{_e(t('stopped'))}</p>"
                    f"<p>{_e(t('still_works'))}</p></section></main>")
        else:
            body = (f'<main><section><h1>{_e(t("stop_title"))}</h1><form method="post" action="{_e(action)}">'
                    f'<button type="submit">{_e(t("stop_button"))}</button></form></section></main>')
        return _document(t("stop_page_title"), body, language=spoken.value)


def gone_page(language: str = "en") -> str:
    """The one page for an expired, revoked or made-up link: it says nothing about which, so not the program's
    language either: the browser's (``browser_language``)."""
    with speaking(_known(language)) as spoken:
        body = (f"<main><section><h1>{_e(t('gone_title'))}</h1><p>{_e(t('gone_ask'))}</p>"
                f"<p>{_e(t('gone_paper'))}</p></section></main>")
        return _document(t("gone_title"), body, language=spoken.value)


def refusal(key: str, language: str = "en") -> str:
    """The plain-text answer to a post the page refuses (``refused_origin``, ``refused_form``, ``refused_size``):
    in the program's language when the link names one, else the browser's (``browser_language``)."""
    with speaking(_known(language)):
        return t(key)


def refusal_language(language: str) -> str:
    """The language ``refusal`` answers in."""
    return _known(language)


def _known(language: str) -> str:
    return language if language in LANGUAGE_CODES else "en"


def browser_language(accept_language: str) -> str:
    """The first of the browser's languages (``Accept-Language``, by its q-weights) that the page speaks, else
    English. Only the primary subtag counts (``es-MX`` → ``es``)."""
    offers = []
    for position, part in enumerate(accept_language[:500].split(",")[:20]):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        match = re.fullmatch(r"\s*q=([01](?:\.\d{0,3})?)\s*", params) if params else None
        if params and match is None:
            continue
        if match:
            weight = float(match.group(1))
        primary = code.strip().split("-")[0].lower()
        if weight > 0 and primary in LANGUAGE_CODES:
            offers.append((-weight, position, primary))
    return min(offers)[2] if offers else "en"


def content_security_policy(html: str) -> str:
    """Nothing loads or runs but this page's own inline styles (by hash), its forms and data: images."""
    hashes = sorted({base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
                     for css in re.findall(r"<style>(.*?)</style>", html, flags=re.S)})
    styles = " ".join(f"'sha256-{h}'" for h in hashes) or "'none'"
    return ("default-src 'none'; " f"style-src {styles}; img-src data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
