"""Image evidence: a small thumbnail for e-mails and pages, and the location taken out of EXIF."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (640, 640)
GPS_IFD = 0x8825


def thumbnail(data: bytes) -> bytes | None:
    """A JPEG of at most 640 px, turned the way the camera held it, with no metadata at all.

    None when Pillow cannot read the image (HEIC without a decoder): it is kept, unthumbed.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError):
        return None


def without_location(data: bytes) -> bytes:
    """The image with its GPS data removed (other EXIF, such as the time taken, is kept)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            if GPS_IFD not in exif:
                return data
            del exif[GPS_IFD]
            out = io.BytesIO()
            save_format = image.format or "JPEG"
            options = {"quality": 95} if save_format == "JPEG" else {}
            image.save(out, save_format, exif=exif.tobytes(), **options)
            return out.getvalue()
    except (UnidentifiedImageError, OSError):
        return data
