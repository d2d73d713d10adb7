"""The patient link page's own words (server/patient_page.py), through the same catalogues as the handout.

Each sentence is marked with ``N_`` so Babel extracts it into ``locale/rehab.pot``; ``page_word(key)`` gives it in
the language being spoken (``speaking(page.language)``). Placeholders (``{name}``, ``{version}``) are filled after
translation, so a translator moves them but never drops them (tests/unit/test_words_catalog.py).
"""

from __future__ import annotations

from .catalog import N_, gettext

PAGE: dict[str, str] = {
    "hello": N_("Hello {name}."),
    "chosen": N_("These are the exercises your physio chose for you."),
    "download": N_("Download your handout (PDF)"),
    "to_help": N_("When to call us or get help"),
    "to_check_in": N_("Tell your physio how it went"),
    "later": N_("Not yet: your plan below says which week to start this one."),
    "scale": N_("0 is no pain. 10 is the worst pain you can imagine."),
    "after": N_("After you exercise"),
    "which_done": N_("Which exercises did you do today?"),
    "pain_during": N_("Your worst pain during the exercises"),
    "save_session": N_("Save today's session"),
    "next_morning": N_("The next morning"),
    "how_morning": N_("How is your knee this morning?"),
    "better": N_("Better than usual"),
    "same": N_("The same as usual"),
    "worse": N_("Worse than usual"),
    "save_morning": N_("Save this morning's answer"),
    "weekly": N_("Once a week"),
    "pain_week": N_("Your worst pain this week"),
    "save_week": N_("Save this week's answer"),
    "check_in_note": N_("Your physio sees your answers before your next visit. This is not for urgent problems. "
                        "For those, see “Call us or get help” above."),
    "reminders": N_("Email reminders"),
    "ask_email": N_("We can email you a reminder on your exercise days. Ask your clinic to add your email "
                    "address. Then come back here to choose the days."),
    "reminders_on": N_("Reminders are on."),
    "change_days": N_("You can change the days or stop them."),
    "would_you": N_("Would you like a short email on the days you exercise?"),
    "remind_on": N_("Remind me on"),
    "consent": N_("By saving, you agree that the clinic emails you on these days. Each email has a link to stop "
                  "them."),
    "save_days": N_("Save my reminder days"),
    "stop": N_("Stop reminders"),
    "saved_reminders": N_("Done. We will email you a reminder on the days you chose."),
    "saved_reminders_off": N_("Done. We will not send you any more reminders."),
    "saved_session": N_("Thank you. Your session is saved."),
    "saved_morning": N_("Thank you. Your morning answer is saved."),
    "saved_week": N_("Thank you. Your answer for this week is saved."),
    "problem_form": N_("That did not save. Please answer the question and try again."),
    "problem_busy": N_("That did not save. This link has saved a lot in the last hour. Please try again later."),
    "version": N_("Version {version}."),
    "private": N_("This page is only for you. Please do not share the link."),
    "stopped_title": N_("Reminders stopped"),
    "stopped": N_("We will not send you any more reminder emails."),
    "still_works": N_("Your exercise page still works. You can turn reminders on again there."),
    "stop_title": N_("Stop reminder emails?"),
    "stop_button": N_("Stop my reminder emails"),
    "stop_page_title": N_("Reminder emails"),
    "gone_title": N_("This link no longer works"),
    "gone_ask": N_("Please ask your clinic for a new one."),
    "gone_paper": N_("If you have a paper handout, you can keep using it."),
    # plain-text answers to a post the page did not send (another site's form, or a form without its token)
    "refused_origin": N_("Refused: the form did not come from this page."),
    "refused_form": N_("Refused: that is not this page's form."),
    "refused_size": N_("Refused: too large."),
}


def page_word(key: str, **values: object) -> str:
    """One of the page's sentences in the language being spoken, its placeholders filled."""
    text = gettext(PAGE[key])
    return text.format(**values) if values else text
