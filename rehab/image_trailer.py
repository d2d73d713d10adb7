"""Bytes after the end of a PNG or JPEG image: how polyglot files (an image that is also a ZIP, HTML or script)
hide their second meaning. Decoders ignore them, so a logo or photo with a payload would look fine, be stored,
be served back by the app and (for JPEG) be copied into handouts as is. rehab.clinic.check_logo refuses them.

Only the structure is read, never the pixels: PNG chunks up to IEND, JPEG segments and scans up to EOI.
Zero bytes after the end (padding some tools add) do not count.
"""

from __future__ import annotations

import struct

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
