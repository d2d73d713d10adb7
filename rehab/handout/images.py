"""Clinic images (the logo, exercise photos) decoded once and made small enough for print.

Only pixels go on: a camera's EXIF (place, time, device), a JPEG comment, XMP, PNG text and the ICC profile are
all left behind, so nothing written into a file by a phone or an editor reaches a patient's handout.
"""

from __future__ import annotations

import io


def shrunk(data: bytes, grayscale: bool, max_side: int):
    """(PIL image, has transparency): upright as the camera meant it, in sRGB, transparency kept, grey when asked,
    at most ``max_side`` pixels a side, and with no metadata at all."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as source:
        source.load()
        image = ImageOps.exif_transpose(source)  # phone photos stand the right way up
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = _in_srgb(image, "RGBA" if has_alpha else "RGB")
        if grayscale:
            image = image.convert("LA" if has_alpha else "L")
        else:
            image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    image.info.clear()  # Pillow would write a kept comment, ICC profile or EXIF back into the JPEG or PNG
    return image, has_alpha


def _in_srgb(image, mode: str):
    """The image's colours turned from its ICC profile (a camera's Display P3, a print shop's CMYK) into sRGB, so
    dropping the profile does not change how it looks; as it is when it has no profile or one that cannot be used."""
    from PIL import ImageCms

    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        return ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                         ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
