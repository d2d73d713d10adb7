"""Clinic images (the logo, exercise photos) decoded once and made small enough for print."""

from __future__ import annotations

import io


def shrunk(data: bytes, grayscale: bool, max_side: int):
    """(PIL image, has transparency): upright as the camera meant it, transparency kept, grey when asked, at most
    ``max_side`` pixels a side."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as source:
        source.load()
        image = ImageOps.exif_transpose(source)  # phone photos stand the right way up
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        if grayscale:
            image = image.convert("LA" if has_alpha else "L")
        else:
            image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image, has_alpha
