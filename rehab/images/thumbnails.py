"""Small copies of a clinic's exercise photo: PNG for the app's screens, JPEG inline in the patient's link page."""

from __future__ import annotations

import io


def thumbnail_png(image_bytes: bytes, width: int) -> bytes:
    """A PNG at most ``width`` pixels wide (never enlarged), e.g. of a clinic's exercise photo."""
    from PIL import Image

    if width < 1:
        raise ValueError("width must be at least 1 pixel")
    with Image.open(io.BytesIO(image_bytes)) as image:
        image.thumbnail((width, width * 4))
        out = io.BytesIO()
        image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, format="PNG")
    return out.getvalue()


def thumbnail_jpeg(image_bytes: bytes, width: int, quality: int = 80) -> bytes:
    """A JPEG at most ``width`` pixels wide (never enlarged), transparency on white: small enough to send inline
    in a web page (a clinic's exercise photo on the patient's link page)."""
    from PIL import Image

    if width < 1:
        raise ValueError("width must be at least 1 pixel")
    with Image.open(io.BytesIO(image_bytes)) as image:
        image.thumbnail((width, width * 4))
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        out = io.BytesIO()
        flat.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()
