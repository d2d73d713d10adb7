"""Passwords: argon2id hashes (argon2-cffi) and the rules a new password must meet.

A new password must also not be easy to guess: zxcvbn estimates how many guesses an attacker needs, from lists of
common passwords, words, names, keyboard patterns, dates and repeats (``STRONG_ENOUGH``).

Only hashes are stored. ``HASHER`` holds the current cost parameters; a stored hash made with other parameters
is replaced at the next successful sign-in (``needs_rehash``).
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

# RFC 9106's low-memory profile (t=3, 64 MiB, p=4): argon2-cffi's default, spelled out so a library upgrade
# cannot silently change it.
HASHER = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16, type=Type.ID)

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 would take more; this only keeps a pasted document out of the form

# zxcvbn's score 3, "safely unguessable: moderate protection from offline slow-hash attacks" (about 10^8 guesses
# or more). Argon2id makes each guess slow, so this is enough; 0 to 2 are lists, patterns and near-misses of them.
STRONG_ENOUGH = 3
ESTIMATED_LENGTH = 72  # zxcvbn refuses longer input; past 72 characters the first 72 decide (and are plenty)

_dummy_hashes: dict[tuple, str] = {}


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def _parameters(hasher: PasswordHasher) -> tuple:
    return (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len, hasher.salt_len, hasher.type)


def dummy_hash() -> str:
    """A hash of a random secret with the current parameters: verifying against it costs what a real check costs."""
    key = _parameters(HASHER)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = HASHER.hash(secrets.token_urlsafe(32))
    return _dummy_hashes[key]


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; with no hash (unknown account) it still does the full argon2 work."""
    try:
        return HASHER.verify(password_hash or dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError, UnicodeEncodeError, TypeError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


def password_problems(password: str, email: str = "") -> list[str]:
    """Plain reasons why ``password`` may not be used; empty when it is fine."""
    if len(password) < MIN_LENGTH:
        return [f"Password: use at least {MIN_LENGTH} characters."]
    problems = []
    if len(password) > MAX_LENGTH:
        problems.append(f"Password: use at most {MAX_LENGTH:,} characters.")
    if len(set(password)) == 1:
        problems.append("Password: do not repeat one character. Mix letters, numbers or words.")
    if email and password.strip().casefold() == email.strip().casefold():
        problems.append("Password: do not use your email address.")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        problems.append("Password: use only characters you can type on a keyboard.")
    if not problems:
        problems += _guessable(password, email)
    return problems


def _guessable(password: str, email: str) -> list[str]:
    """Why zxcvbn thinks ``password`` is easy to guess (with its own hint), or nothing when it is not."""
    hints = [email, email.partition("@")[0]] if email else []
    estimate = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=hints)
    if estimate["score"] >= STRONG_ENOUGH:
        return []
    feedback = estimate["feedback"]
    why = feedback["warning"] or "It follows a common pattern."
    tip = " ".join(feedback["suggestions"]) or "Add another word or two. Uncommon words are better."
    return [f"Password: this is too easy to guess. {why} {tip}"]
