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

from rehab.domain.links import CheckInKind
from rehab.handout_content.model import Advice, Card, HandoutContent, PainLight, Section
from rehab.handout_content.words import w
from rehab.services.patient_page import PatientPage
from rehab.words import speaking

PAIN_SCALE = range(0, 11)
MORNING = (("better", "Better than usual"), ("same", "The same as usual"), ("worse", "Worse than usual"))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SAVED = {
    "reminders": "Done. We will email you a reminder on the days you chose.",
    "reminders_off": "Done. We will not send you any more reminders.",
    CheckInKind.SESSION.value: "Thank you. Your session is saved.",
    CheckInKind.MORNING.value: "Thank you. Your morning answer is saved.",
    CheckInKind.WEEK.value: "Thank you. Your answer for this week is saved.",
}
PROBLEMS = {
    "form": "That did not save. Please answer the question and try again.",
    "busy": "That did not save: this link has saved a lot in the last hour. Please try again later.",
}

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
.drawing{max-width:360px;margin:.5rem 0}.drawing svg{display:block;width:100%;height:auto}
.dose{font-weight:700}
ol,ul{padding-left:1.5rem}
details{border-top:1px solid #d5dce2;padding:.5rem 0}
summary{cursor:pointer;font-weight:700;padding:.25rem 0}
.zone{border-left:.5rem solid #1c2430;padding:.25rem .75rem;margin:.5rem 0}
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
input[type=checkbox],input[type=radio]{width:1.3rem;height:1.3rem;margin-right:.5rem}
.scale input{margin-right:.25rem}
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


def _card(card: Card, drawing: str | None) -> str:
    heading = f'<h2 id="ex-{card.number}">{card.number}. {_e(card.name)}</h2>'
    parts = [f'<article aria-labelledby="ex-{card.number}">{heading}']
    if card.later:
        parts.append("<p><strong>Not yet: your plan below says which week to start this one.</strong></p>")
    if drawing:
        parts.append(f'<div class="drawing">{drawing}</div>')
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
    return (f"<fieldset><legend>{_e(legend)}</legend><p>0 is no pain. 10 is the worst pain you can imagine.</p>"
            f'<div class="scale">{boxes}</div></fieldset>')


def _form(action: str, csrf: str, kind: CheckInKind, heading: str, body: str, button: str) -> str:
    return (f'<section aria-labelledby="ci-{kind.value}"><h3 id="ci-{kind.value}">{_e(heading)}</h3>'
            f'<form method="post" action="{_e(action)}"><input type="hidden" name="csrf" value="{_e(csrf)}">'
            f'<input type="hidden" name="kind" value="{kind.value}">{body}<button type="submit">{_e(button)}</button>'
            "</form></section>")


def _check_ins(page: PatientPage, action: str, csrf: str) -> str:
    done = "".join(f'<label><input type="checkbox" name="done" value="{_e(eid)}">{_e(name)}</label>'
                   for eid, name in page.today)
    session = _form(action, csrf, CheckInKind.SESSION, "After you exercise",
                    f"<fieldset><legend>Which exercises did you do today?</legend>{done}</fieldset>"
                    + _scale("pain", "Your worst pain during the exercises"), "Save today's session")
    morning_choices = "".join(f'<label><input type="radio" name="morning" value="{v}" required>{_e(t)}</label>'
                              for v, t in MORNING)
    morning = _form(action, csrf, CheckInKind.MORNING, "The next morning",
                    f"<fieldset><legend>How is your knee this morning?</legend>{morning_choices}</fieldset>",
                    "Save this morning's answer")
    week = _form(action, csrf, CheckInKind.WEEK, "Once a week", _scale("pain", "Your worst pain this week"),
                 "Save this week's answer")
    intro = ('<h2 id="check-in">Tell your physio how it went</h2><p>Your physio sees your answers before your '
             "next visit. This is not for urgent problems: for those, see “Call us or get help” above.</p>")
    return intro + session + morning + week


def _checked(on: bool) -> str:
    return " checked" if on else ""


def _reminders(page: PatientPage, action: str, csrf: str) -> str:
    head = '<section aria-labelledby="remind"><h2 id="remind">Email reminders</h2>'
    if not page.can_remind:
        return (head + "<p>We can email you a reminder on your exercise days. Ask your clinic to add your email "
                "address, then come back here to choose the days.</p></section>")
    hidden = f'<input type="hidden" name="csrf" value="{_e(csrf)}">'
    days = "".join(f'<label><input type="checkbox" name="day" value="{n}"{_checked(n in page.reminder_days)}>'
                   f"{day}</label>" for n, day in enumerate(WEEKDAYS))
    state = ("<p><strong>Reminders are on.</strong> You can change the days or stop them.</p>"
             if page.reminder_days else "<p>Would you like a short email on the days you exercise?</p>")
    form = (f'<form method="post" action="{_e(action)}">{hidden}<fieldset><legend>Remind me on</legend>{days}'
            "</fieldset><p>By saving, you agree that the clinic emails you on these days. Each email has a link "
            "to stop them.</p><button type=\"submit\">Save my reminder days</button></form>")
    stop = (f'<form method="post" action="{_e(action)}">{hidden}<input type="hidden" name="stop" value="1">'
            '<button type="submit">Stop reminders</button></form>') if page.reminder_days else ""
    return head + state + form + stop + "</section>"


def _message(saved: str | None, problem: str | None) -> str:
    if saved in SAVED:
        return f'<p class="status" role="status">{_e(SAVED[saved])}</p>'
    if problem in PROBLEMS:
        return f'<p class="problem" role="alert">{_e(PROBLEMS[problem])}</p>'
    return ""


def render(page: PatientPage, *, base: str, csrf: str, saved: str | None = None,
           problem: str | None = None) -> str:
    """The whole page. ``base``: the link's own address (``/p/<token>``), for the form and the PDF."""
    c = page.content
    hello = f"Hello {page.first_name}. " if page.first_name else ""
    kinds = "".join(f"<li><strong>{_e(k.label)}: {_e(k.often.lower())}.</strong> {_e(k.minutes_text)}</li>"
                    for k in c.kinds)
    with speaking(page.language):  # the cards' headings in the page's language, like the handout's
        cards = "".join(_card(card, page.drawings.get(card.exercise_id)) for card in c.cards)
    notes = ("<section><h2>" + _e(c.notes_heading) + "</h2>" + "".join(f"<p>{_lines(n)}</p>" for n in c.notes)
             + "</section>") if c.notes else ""
    body = (
        f'<header><div><p class="clinic">{_e(page.clinic_name)}</p><h1>{_e(c.title)}</h1>'
        f"<p>{_e(hello)}These are the exercises your physio chose for you.</p></div></header>"
        f'<main>{_message(saved, problem)}'
        f'<section aria-labelledby="plan"><h2 id="plan">{_e(c.exercises_heading)}</h2><ul>{kinds}</ul>'
        f'<p>{_e(c.rest_days)}</p><p><a class="button" href="{_e(base)}/handout.pdf" download>'
        "Download your handout (PDF)</a></p>"
        '<p><a href="#help">When to call us or get help</a> · <a href="#check-in">Tell your physio how it '
        "went</a></p></section>"
        f"{_section(c.purpose)}{_section(c.equipment)}{_pain(c.pain)}{cards}{_section(c.cards_rules)}{notes}"
        f"{_help(c)}{_check_ins(page, base + '/check-in', csrf)}{_reminders(page, base + '/reminders', csrf)}</main>"
        f"<footer><p>{_e(c.prepared.label)}: {_e(c.prepared.value)}. Version {page.version}.</p>"
        "<p>This page is only for you. Please do not share the link.</p></footer>"
    )
    return _document(c.title, body, page.colour, page.language)


def _document(title: str, body: str, colour: str = "#1F5F8B", language: str = "en") -> str:
    colour = colour if re.fullmatch(r"#[0-9A-Fa-f]{6}", colour) else "#1F5F8B"
    language = language if language in ("en", "es", "pl", "ar") else "en"
    direction = ' dir="rtl"' if language == "ar" else ""  # Arabic right to left: the browser mirrors the page
    return (f'<!doctype html><html lang="{language}"{direction}><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="robots" content="noindex, nofollow">'
            f"<title>{_e(title)}</title><style>:root{{--brand:{colour}}}{CSS}</style></head><body>{body}</body></html>")


def stop_page(action: str, stopped: bool) -> str:
    """The reminder emails' stop link: one button (a link alone must not stop them: mail scanners open links)."""
    if stopped:
        body = ("<main><section><h1>Reminders stopped</h1><p>We will not send you any more reminder emails.</p>"
                "<p>Your exercise page still works. You can turn reminders on again there.</p></section></main>")
    else:
        body = (f'<main><section><h1>Stop reminder emails?</h1><form method="post" action="{_e(action)}">'
                '<button type="submit">Stop my reminder emails</button></form></section></main>')
    return _document("Reminder emails", body)


def gone_page() -> str:
    """The one page for an expired, revoked or made-up link: it says nothing about which."""
    body = ("<main><section><h1>This link no longer works</h1>"
            "<p>Please ask your clinic for a new one.</p>"
            "<p>If you have a paper handout, you can keep using it.</p></section></main>")
    return _document("This link no longer works", body)


def content_security_policy(html: str) -> str:
    """Nothing loads or runs but this page's own inline styles (by hash), its forms and data: images."""
    hashes = sorted({base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
                     for css in re.findall(r"<style>(.*?)</style>", html, flags=re.S)})
    styles = " ".join(f"'sha256-{h}'" for h in hashes) or "'none'"
    return ("default-src 'none'; " f"style-src {styles}; img-src data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
