"""Every fixed word the handout prints, in one place, so layout code holds no English and can be translated.

Plain words, second person, short sentences (tests/unit/test_handout_words.py checks the reading level).
Placeholders in braces are filled by the layout code; their values are escaped there. ``w(key)`` gives the
sentence in the language being written (``rehab.words.speaking``): the key is its gettext context, the English
its message id, in ``rehab/words/locale/<code>/LC_MESSAGES/rehab.po``.
"""

from __future__ import annotations

from . import n_, p_
from .formats import WEEKDAYS_SHORT, long_date, short_date

WORDS: dict[str, str] = {
    # page 1
    "for": "For",
    "from": "From",
    "prepared": "Date",
    "start": "Start",
    "start_value": "{date}, for {weeks}",
    "your_exercises": "Your exercises",
    "calendar_week": "Week {n}",
    "pain_heading": "How much pain is okay?",
    "pain_intro": "Rate your pain from 0 to 10 while you exercise.",
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "green_range": "0 to {high}",
    "amber_range": "{low} to {high}",
    "red_range": "above {high}",
    "green_text": "Fine. Keep going.",
    "amber_text": "Okay. Do not do more.",
    "red_text": "Too much. Stop, and do less next time.",
    "settle": "After you exercise, your pain should settle within {time}. "
    "Your knee should be no worse the next morning.",
    "hour": "an hour",
    "right_away": "a few minutes",
    "help_heading": "Call us or get help if…",
    "help_phone": "Call us on {phone}.",
    "help_urgent": "For urgent care, call {number} or go to the emergency department.",
    "help_no_phone": "Call your physio.",
    "qr_caption": "Scan for our website",
    # exercise cards
    "cards_heading": "How to do each exercise",
    "how_much": "How much",
    "how_often": "How often",
    "steps": "How to do it",
    "cues": "Tips",
    "cautions": "Take care",
    "easy_heading": "When this feels easy",
    "easy_heading_named": "{name}: when it feels easy",
    "easy_pain": "Your pain stays at {green} out of 10 or less.",
    "easy_morning": "Your knee is no worse the next morning.",
    "easy_form": "You do every set with good form.",
    "easy_how_prefix": "How: ",
    "hurts_heading": "If it hurts",
    "hurts_heading_named": "{name}: if it hurts",
    "item_note": "Note from your physio",
    # week-by-week plan
    "plan_heading": "Your plan, week by week",
    "plan_intro": "Each week, do what that week's column says. Check your knee the morning after each exercise "
    "day. If it was ever worse last week, do last week's dose again.",
    "plan_exercise": "Exercise",
    "plan_week": "Week {n}",
    "plan_new": "New: {name}",
    "plan_every_week": "Every week",
    "plan_every_week_cell": "{dose}, every week",
    "with_load": "with {load}",
    "hold_each": "hold each for {time}",
    # diary
    "diary_heading": "Your pain and progress diary",
    "diary_intro": "Fill in one line each week. For the morning, think of the morning after an exercise day. "
    "Bring this page when you come to see us.",
    "diary_week": "Week",
    "diary_pain": "Worst pain while you exercise (0 to 10)",
    "diary_morning": "Knee the morning after (circle one)",
    "diary_notes": "Notes",
    # education and notes
    "education_heading": "Learn more about your knee",
    "notes_heading": "Notes from your physio",
    # every page
    "footer_prepared": "Prepared {date}",
    "footer_page": "Page {page} of {total}",
    "footer_phone": "Phone {phone}",
    "pdf_subject": "Home exercise program",
    # added with the compact layout and the content model
    "condition": "For runner's knee (pain at the front of the knee)",
    "sore_knee": "Sore knee",
    "side_left": "Left",
    "side_right": "Right",
    "side_both": "Both",
    "purpose_heading": "What this stage is for",
    "next_stage_heading": "Ready for the next stage?",
    "next_stage_intro": "Ask your physio about the next stage when all of this is true:",
    "equipment_heading": "What you need",
    "kind_strength": "Strength exercises",
    "kind_stretch": "Stretches",
    "kind_mixed": "Exercises",
    "kind_tick_strength": "Strength",
    "kind_tick_stretch": "Stretches",
    "kind_tick_mixed": "Exercises",
    "minutes_kind_all": "About {minutes} minutes each time.",
    "minutes_kind_more": "About {minutes} minutes on these days, with the others.",
    "rest_days": "Do your {label} on {n} days a week, with a day off in between (for example {days}). ",
    "rest_days_daily": "On the other days, do only your {label}.",
    "rest_days_active": "On the other days, rest your knee or go for an easy walk.",
    "calendar_hint": "Tick each day you do them.",
    "calendar_heading_short": "Tick each day you exercise.",
    "kind_cardio": "Fitness exercises",
    "kind_tick_cardio": "Fitness",
    "kind_day_off": "Leave a day off between {label} days, for example {days}.",
    "kind_other_days": "On the other days, do only your stretches.",
    "and": "and",
    "help_urgent_lead": "Get urgent care now if",
    "help_call_lead": "Call us if",
    "cards_rules_heading": "When to make an exercise harder",
    "cards_rules_intro": "Make an exercise harder only when all of this is true for 2 sessions in a row:",
    "easy_short": "Feels easy?",
    "hurts_short": "Hurts?",
    "later_note": "Your plan moves you on to this exercise later. Start it only in the week your plan says.",
    "diary_better": "better",
    "diary_same": "same",
    "diary_worse": "worse",
    # how a red flag ends, in the education topic: which box of the help list it goes in
    "red_flag_urgent_end": "Get urgent care.",
    "red_flag_call_end": "Call us.",
}

__all__ = ["WEEKDAYS_SHORT", "WORDS", "long_date", "settle_time", "short_date", "w", "weeks_in_words"]


def w(key: str, **values: object) -> str:
    text = p_(key, WORDS[key])
    return text.format(**values) if values else text


def weeks_in_words(n: int) -> str:
    return n_("{n} week", "{n} weeks", n).format(n=n)


def settle_time(minutes: int) -> str:
    if minutes < 5:
        return w("right_away")
    if minutes == 60:
        return w("hour")
    if minutes % 60 == 0:
        return n_("{n} hour", "{n} hours", minutes // 60).format(n=minutes // 60)
    return n_("{n} minute", "{n} minutes", minutes).format(n=minutes)
