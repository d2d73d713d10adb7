"""Image bytes the app shows and checks, with Pillow and PDFium kept here (both loaded only when needed).

- ``check``: ``check_image``, which every uploaded logo and photo passes (format, size, pixels, no data hidden
  after the picture);
- ``pages``: page images of a handout PDF for the previews;
- ``thumbnails``: small copies of a clinic's exercise photo.
"""

from .check import IMAGE_FORMATS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, PNG_SIGNATURE, check_image, extra_bytes
from .pages import JPEG_QUALITY, MAX_SCALE, pdf_page_count, pdf_page_images
from .thumbnails import thumbnail_jpeg, thumbnail_png

__all__ = [
    "IMAGE_FORMATS",
    "JPEG_QUALITY",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_SCALE",
    "PNG_SIGNATURE",
    "check_image",
    "extra_bytes",
    "pdf_page_count",
    "pdf_page_images",
    "thumbnail_jpeg",
    "thumbnail_png",
]
