"""Pure rules over a Program: building, checks, progression, review, timing, templates, outcomes, the
program document and adherence. No I/O, no adapter."""
