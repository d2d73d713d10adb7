"""Hardening that lives in files: the Streamlit server config, no raw HTML built from user data, secrets only from
the environment or the git-ignored secrets file, and no secret defaults."""

from __future__ import annotations

import ast
import re
import subprocess
import tomllib
from pathlib import Path

from rehab.config import SETTINGS
from tests.conftest import ROOT, missing

UI_FILES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")])
CODE_FILES = sorted([*UI_FILES, *(ROOT / "rehab").rglob("*.py")])

# Each place that hands HTML to the browser, with the exact expression it passes. Every name in that expression
# must be a module-level constant made of string literals (checked below), so no user data can be in it.
RAW_HTML_ALLOWED = {
    ("ui/build/drafts.py", "_GUARD + _MARKER"),  # the "Leave site?" guard of the Build page
    ("app_pages/sign_in.py", "_FORM_STYLE + _FORM"),  # the sign-in form, posted to our route (no script)
    ("app_pages/library.py", "drawing"),  # a built-in exercise's drawing: see the test of moving_drawing_html
    ("ui/layout.py", "_STYLE"),  # CSS only: less side padding and the sticky action bar of the working pages
    ("ui/layout.py", "_EVERY_PAGE_STYLE"),  # CSS only: scroll padding, so focus is never under the header
}
# Markup that is not constant but built only by our own code from our own data, each builder tested below.
RAW_HTML_BUILT = {("app_pages/library.py", "drawing")}


def config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_streamlit_server_config_is_hardened():
    server, browser, client = config()["server"], config()["browser"], config()["client"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True  # Streamlit's name: True keeps cross-origin protection on
    assert server["maxUploadSize"] == 10  # megabytes; the app's own limits are lower (5 MB images, 2 MB CSV)
    assert browser["gatherUsageStats"] is False
    assert client["showErrorDetails"] == "none"  # users never see a traceback


def test_the_app_and_make_run_do_not_override_the_hardening():
    for path in (ROOT / "Makefile", ROOT / "app.py", ROOT / "serve.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(enableXsrfProtection|enableCORS|showErrorDetails)", text)


def _calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return tree, [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound once to a string literal (or literals joined with +)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            if isinstance(value, str):
                found[node.targets[0].id] = value
    return found


def _only_constants(expression: ast.expr, constants: dict[str, str]) -> bool:
    if isinstance(expression, ast.Constant):
        return isinstance(expression.value, str)
    if isinstance(expression, ast.Name):
        return expression.id in constants
    if isinstance(expression, ast.BinOp) and isinstance(expression.op, ast.Add):
        return _only_constants(expression.left, constants) and _only_constants(expression.right, constants)
    return False  # f-strings, calls, format(): anything that could carry data


def test_raw_html_is_only_our_own_fixed_markup():
    seen = set()
    for path in UI_FILES:
        tree, calls = _calls(path)
        where = path.relative_to(ROOT).as_posix()
        for call in calls:
            raw_kwargs = [k for k in call.keywords if k.arg in ("unsafe_allow_html", "unsafe_allow_javascript")]
            is_html = isinstance(call.func, ast.Attribute) and call.func.attr == "html"
            if not raw_kwargs and not is_html:
                continue
            if not is_html and all(isinstance(k.value, ast.Constant) and k.value.value is False for k in raw_kwargs):
                continue
            markup = ast.unparse(call.args[0]) if call.args else ""
            assert (where, markup) in RAW_HTML_ALLOWED, f"{where}:{call.lineno} passes raw HTML: {markup}"
            if (where, markup) not in RAW_HTML_BUILT:
                assert _only_constants(call.args[0], _module_strings(tree)), f"{where}:{call.lineno}: not constant"
            seen.add((where, markup))
    assert seen == RAW_HTML_ALLOWED  # an entry nobody uses any more is removed from the list


def test_the_library_drawing_markup_is_only_images_of_our_own_svg_with_escaped_words():
    from html.parser import HTMLParser

    from rehab.content.library import load_library
    from ui.library.drawing import moving_drawing_html

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.attrs = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.attrs += attrs

    for exercise in load_library():
        markup = moving_drawing_html(exercise.id)
        assert markup is not None, exercise.id
        parsed = Tags()
        parsed.feed(markup)
        assert set(parsed.tags) == {"style", "div", "img"} and parsed.tags.count("img") == 2, exercise.id
        assert {name for name, _ in parsed.attrs} <= {"class", "src", "alt", "style"}, exercise.id
        sources = [value for name, value in parsed.attrs if name == "src"]
        assert all(value.startswith("data:image/svg+xml;base64,") for value in sources), exercise.id
    assert moving_drawing_html("no_such_exercise_of_the_clinic") is None  # a clinic's own: its photo, never HTML


def test_components_html_and_iframes_are_not_used():
    for path in UI_FILES:
        text = path.read_text(encoding="utf-8")
        assert "components.v1" not in text and "st.iframe" not in text, path


def test_secrets_come_only_from_the_environment_or_the_secrets_file():
    readers = {}
    for path in CODE_FILES:
        text = path.read_text(encoding="utf-8")
        names = set(re.findall(r"\b(os\.environ|os\.getenv|st\.secrets|dotenv|configparser|keyring)\b", text))
        if names:
            readers[path.relative_to(ROOT).as_posix()] = names
    assert readers == {
        "rehab/config.py": {"os.environ", "st.secrets"},  # Settings.from_env: the REHAB_* table (any mapping)
        "rehab/cli/users.py": {"os.environ"},  # REHAB_NEW_USER_PASSWORD for `user add`
        "rehab/handout/fonts.py": {"os.environ"},  # REHAB_FONT_DIR, a folder, not a secret
        "ui/context.py": {"os.environ", "st.secrets"},  # the same table, merged with .streamlit/secrets.toml
    }


def test_secret_settings_have_no_default_and_the_secrets_file_is_ignored_by_git():
    assert [s.name for s in SETTINGS if s.secret and s.default is not None] == []
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    try:
        tracked = subprocess.run(["git", "ls-files", ".streamlit"], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        missing("git and a git checkout are needed to list the tracked files")
    assert tracked == [".streamlit/config.toml"]


def test_no_default_password_anywhere():
    """The first account is made at setup or with `user add`; nothing in the code or the docs ships a password."""
    pattern = re.compile(r"(default|initial|admin)[_ ]password\s*[=:]\s*['\"]", re.IGNORECASE)
    for path in [*CODE_FILES, ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_tables_offer_no_unguarded_csv_download():
    """st.dataframe's own "Download as CSV" writes cells as typed, so "=HYPERLINK(…)" in an exercise or patient name
    would run in a spreadsheet; it is off for every table (the app's own library export guards such cells)."""
    assert config()["client"]["disableDataExport"] is True
    for path in [ROOT / "app.py", ROOT / "Makefile", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        assert "disableDataExport" not in path.read_text(encoding="utf-8"), path


def test_every_image_the_app_shows_has_a_text_alternative():
    """Screen readers read ``alt``; Streamlit never makes one from the caption."""
    missing = []
    for path in [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        _, calls = _calls(path)
        for call in calls:
            is_image = isinstance(call.func, ast.Attribute) and call.func.attr == "image"
            if is_image and not any(keyword.arg == "alt" for keyword in call.keywords):
                missing.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert missing == []


def _contrast(foreground: tuple[float, ...], background: tuple[float, ...]) -> float:
    def luminance(rgb):
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_captions_keep_aa_contrast_on_the_page_and_the_sidebar():
    """Streamlit draws captions, hints and code in captions at 60 % of their colour; WCAG AA asks 4.5:1."""
    theme = config()["theme"]
    for name in ("textColor", "codeTextColor"):
        colour = tuple(int(theme[name][i:i + 2], 16) for i in (1, 3, 5))
        for background in ((255, 255, 255), (248, 248, 247)):  # the page; Streamlit's sidebar
            faded = tuple(b - 0.6 * (b - c) for b, c in zip(background, colour, strict=True))
            assert _contrast(faded, background) >= 4.5, (name, background)
