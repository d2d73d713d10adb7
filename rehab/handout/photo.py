"""A clinic's photo of one of its own exercises, on that exercise's card where a built-in exercise has our drawing.

Photos arrive checked (``images.check_image``: PNG or JPEG, at most 5 MB and 25 megapixels). Each is shrunk to what
print needs and stored once per distinct photo as JPEG (PNG when it has transparency), which reportlab embeds as
it is, so a phone photo adds tens of kilobytes to the PDF, not megabytes.
"""

from __future__ import annotations

import functools
import io

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from .images import shrunk

MAX_PHOTO_PIXELS_SIDE = 1000  # about 300 dpi across the card's picture box


@functools.lru_cache(maxsize=32)
def prepared_photo(data: bytes, grayscale: bool) -> tuple[bytes, int, int]:
    """(encoded image, width, height) in pixels, small enough for print."""
    image, has_alpha = shrunk(data, grayscale, MAX_PHOTO_PIXELS_SIDE)
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), image.width, image.height


class Photo(Flowable):
    """The photo scaled to fit ``width`` x ``height`` points, aspect kept, centred."""

    def __init__(self, data: bytes, width: float, height: float, grayscale: bool):
        super().__init__()
        self.encoded, pixels_w, pixels_h = prepared_photo(data, grayscale)
        scale = min(width / pixels_w, height / pixels_h)
        self.drawWidth, self.drawHeight = pixels_w * scale, pixels_h * scale
        self.hAlign = "CENTER"

    def wrap(self, avail_width, avail_height):
        return self.drawWidth, self.drawHeight

    def draw(self):
        self.canv.drawImage(ImageReader(io.BytesIO(self.encoded)), 0, 0, self.drawWidth, self.drawHeight,
                            mask="auto")
