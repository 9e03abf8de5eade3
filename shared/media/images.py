"""Image evidence: its size checked before it is decoded, its location taken out (EXIF and
XMP, in every kind accepted, HEIC from iPhones included), and a small thumbnail made.

A photo's pixels are decoded only after its dimensions, read from its header, are within
MAX_PIXELS: a 300 KB PNG can declare 9000 × 9000 pixels and take gigabytes to decode.
"""

from __future__ import annotations

import io
import re
import warnings

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (640, 640)
GPS_IFD = 0x8825
# A 48-megapixel phone photo is 8064 × 6048; decoded in RGB it takes about 150 MB, within the
# media function's memory with room to turn and re-encode it. Pillow refuses past it too.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
pillow_heif.register_heif_opener()

_SAVE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "HEIF"}
# XMP properties that place a photo: exif:GPSLatitude, drone-dji:GpsLongitude,
# Iptc4xmpExt:LocationCreated, photoshop:City...
_PLACE = (
    r"[\w-]+:(?:GPS\w*|Gps\w*|\w*Latitude|\w*Longitude|\w*Altitude|Location\w*"
    r"|City|State|Country\w*|Sublocation)"
)
_XMP_ATTRIBUTE = re.compile(rf'\s{_PLACE}\s*=\s*"[^"]*"', re.IGNORECASE)
_XMP_ELEMENT = re.compile(rf"<({_PLACE})\b[^>]*?(?:/>|>.*?</\1\s*>)", re.IGNORECASE | re.DOTALL)


class ImageRefused(Exception):
    """The image cannot become evidence: `code` is too_many_pixels or unreadable."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _open(data: bytes) -> Image.Image:
    """The image, its header read and its pixels not decoded yet; refused when too large."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused("too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRefused("unreadable") from None
    width, height = image.size
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        image.close()
        raise ImageRefused("too_many_pixels")
    return image


def check_image(data: bytes) -> None:
    """Refuse what cannot be opened safely (ImageRefused); decodes nothing."""
    _open(data).close()


def thumbnail(data: bytes) -> bytes | None:
    """A JPEG of at most 640 px, turned the way the camera held it, with no metadata at all."""
    try:
        with _open(data) as image:
            image.draft("RGB", THUMBNAIL_SIZE)  # JPEG decodes at a fraction of its size
            orientation = image.getexif().get(0x0112)
            image.thumbnail(THUMBNAIL_SIZE)
            if orientation:
                small = image.copy()
                small.getexif()[0x0112] = orientation
                image = ImageOps.exif_transpose(small)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
            return out.getvalue()
    except (ImageRefused, UnidentifiedImageError, OSError, ValueError):
        return None


def without_xmp_location(xmp: bytes | str) -> bytes:
    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else xmp
    text = _XMP_ELEMENT.sub("", _XMP_ATTRIBUTE.sub("", text))
    return text.encode("utf-8")


def has_location(image: Image.Image) -> bool:
    xmp = image.info.get("xmp")
    return GPS_IFD in image.getexif() or bool(
        xmp and without_xmp_location(xmp) != (xmp if isinstance(xmp, bytes) else xmp.encode())
    )


def without_location(data: bytes) -> bytes:
    """The image with its GPS data removed from EXIF and its place from XMP (the time taken,
    the camera and the orientation are kept). The same bytes when there is nothing to remove."""
    try:
        with _open(data) as image:
            if not has_location(image):
                return data
            save_format = _SAVE_FORMATS.get(image.format or "", "JPEG")
            exif = image.getexif()
            exif.pop(GPS_IFD, None)
            options: dict = {"exif": exif.tobytes()}
            if image.info.get("xmp"):
                options["xmp"] = without_xmp_location(image.info["xmp"])
            if image.info.get("icc_profile"):
                options["icc_profile"] = image.info["icc_profile"]
            if save_format in ("JPEG", "WEBP", "HEIF"):
                options["quality"] = 95
            out = io.BytesIO()
            image.save(out, save_format, **options)
            return out.getvalue()
    except (ImageRefused, UnidentifiedImageError, OSError, ValueError):
        return data
