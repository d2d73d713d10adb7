"""``check_image``: every image a person hands the app (a clinic's logo, an exercise photo) passes it before it is
stored or printed.

Besides format, size and pixel count, it refuses bytes after the end of a PNG or JPEG image: how polyglot files
(an image that is also a ZIP, HTML or script) hide their second meaning. Decoders ignore them, so a logo or photo
with a payload would look fine, be stored, be served back by the app and (for JPEG) be copied into handouts as
is. Only the structure is read for that, never the pixels: PNG chunks up to IEND, JPEG segments and scans up to
EOI. Zero bytes after the end (padding some tools add) do not count.
"""

from __future__ import annotations

import io
import struct
import warnings

IMAGE_FORMATS = ("PNG", "JPEG")  # what previews are encoded as, and what check_image accepts
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_STANDALONE_JPEG_MARKERS = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length


def _png_end(data: bytes) -> int | None:
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return position if position <= len(data) else None
    return None


def _jpeg_end(data: bytes) -> int | None:
    position = 2  # after SOI
    while position + 2 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:  # EOI
            return position + 2
        if marker in _STANDALONE_JPEG_MARKERS:
            position += 2
            continue
        if position + 4 > len(data):
            return None
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
        if marker == 0xDA:  # SOS: entropy-coded data follows, up to the next marker that is not FF00 or RSTn
            while position + 1 < len(data):
                if data[position] == 0xFF and data[position + 1] not in (0x00, *range(0xD0, 0xD8)):
                    break
                position += 1
    return None


def extra_bytes(data: bytes, image_format: str) -> int:
    """How many non-padding bytes follow the image's end marker (0 for a clean file); -1 when no end is found."""
    end = _png_end(data) if image_format == "PNG" else _jpeg_end(data) if image_format == "JPEG" else None
    if end is None:
        return -1
    return len(data[end:].rstrip(b"\x00"))


def check_image(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) of a PNG or JPEG image (a clinic's logo, an exercise photo), or ValueError with a
    plain reason.

    Order matters: the byte size is checked before decoding, and the pixel count from the header before the
    pixels are decoded, so an oversized file or a decompression bomb costs almost nothing to reject.
    """
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ValueError("the image file is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(f"the image is {len(data) / 1024 / 1024:.1f} MB; at most {MAX_IMAGE_BYTES // 1024 // 1024} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format, image.size
                if fmt not in IMAGE_FORMATS:
                    raise ValueError(f"{fmt or 'this'} images are not supported; use a PNG or JPEG file")
                _check_pixels(width, height)
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValueError(f"the image has too many pixels; at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels") from None
    except UnidentifiedImageError:
        raise ValueError("this is not an image Pillow can read; use a PNG or JPEG file") from None
    except (OSError, SyntaxError, EOFError) as exc:  # Pillow reports truncated or corrupt data this way
        raise ValueError(f"the image data is damaged or cut off ({exc})") from None
    extra = extra_bytes(data, fmt)  # a polyglot: an image that is also a ZIP, HTML or script file
    if extra < 0:
        raise ValueError("the image data is damaged or cut off (no end of image found)")
    if extra:
        raise ValueError("the file holds other data after the picture; open it in an image editor and save it "
                         "again as a PNG or JPEG")
    return fmt, width, height


def _check_pixels(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise ValueError("the image has no pixels")
    if width * height > MAX_IMAGE_PIXELS:
        raise ValueError(
            f"the image is {width} × {height} pixels ({width * height / 1_000_000:.1f} megapixels); "
            f"at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels"
        )
