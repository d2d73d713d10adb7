"""Hostile inputs shared by the security tests, and the images built with Pillow (never files from elsewhere)."""

from __future__ import annotations

import io
import re
import struct
import zlib

from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

MARKUP = ["<script>alert(1)</script>", "O'Brien & <Sons>", "<img src=x onerror=alert(1)>",
          "**bold** [link](javascript:alert(1)) `code` $x$ :red[red]",
          "![i](http://127.0.0.1:9/x.png) bo@evil.org www.e.org"]
SCRIPTS = ["Łukasz Żółć", "Ολυμπία", "Юлия", "Zoë Ñúñez"]
SQL = ["'; DROP TABLE patients; --", "Robert'); DROP TABLE programs;--", "' OR '1'='1", "100% _match_ \\"]
EVERY_TEXT = [*MARKUP, *SCRIPTS, *SQL]
# After Markdown's own escapes are resolved, remark-gfm links these (mdast-util-gfm-autolink-literal's patterns).
AUTOLINKS = re.compile(r"(?i)(https?://|www\.)[-.\w]+|[-.\w+]+@[-\w]+(\.[-\w]+)+")


def live_markdown(text: str) -> bool:
    """Whether Streamlit's Markdown would draw an image, a link or a raw tag from this text."""
    unescaped_specials = re.sub(r"\\.", "", text)  # what is left after removing every escaped character
    return bool(re.search(r"!\[|\]\(|<", unescaped_specials) or AUTOLINKS.search(text.replace("\\", "")))


TRAVERSAL_NAME = "../../etc/passwd.png"
CRLF_EMAILS = ["zoe@example.org\r\nBcc: evil@example.org", "zoe@example.org\nSubject: hi", "zoe@example.org\r"]
MEGABYTE_NOTES = ("A note with <b>markup</b> & more. " * 40_000)[:1_000_000]


def png(size=(40, 30), colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 60, 30)).save(out, "JPEG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (40, 30)).save(out, "GIF")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG that claims 30000 x 30000 pixels (900 megapixels): decoding it would take gigabytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    pixels = zlib.compress(row * 8, 9)  # only a few rows: the header alone must be enough to refuse it
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def png_zlib_bomb() -> bytes:
    """A real decompression bomb: 10000 x 10000 pixels of zeros that compress to about 100 KB."""
    width = height = 10_000
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def zip_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


POLYGLOTS = {
    "PNG + ZIP": lambda: png() + zip_bytes(),
    "PNG + HTML": lambda: png() + b"<html><script>alert(1)</script></html>",
    "JPEG + ZIP": lambda: jpeg() + zip_bytes(),
    "JPEG + HTML": lambda: jpeg() + b"<!doctype html><script>alert(1)</script>",
}


def oversized_png() -> bytes:
    """A valid PNG of more than 5 MB (noise does not compress)."""
    import random

    generator = random.Random(8)
    noise = generator.randbytes(1400 * 1400 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (1400, 1400), noise).save(out, "PNG", compress_level=0)
    return out.getvalue()


APP = str(ROOT / "app.py")


def page(name: str, **state) -> AppTest:
    """The app signed in through ``state`` (session keys), switched to one of app_pages/ and run cleanly."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception
    return at
