"""Photos from phones: location out of EXIF and XMP in every kind (HEIC from iPhones too),
thumbnails, and decompression bombs refused before their pixels are decoded."""

import io

import pytest
from PIL import Image

from shared.media.images import (
    GPS_IFD,
    ImageRefused,
    check_image,
    has_location,
    thumbnail,
    without_location,
)

XMP_WITH_PLACE = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'exif:GPSLatitude="23,10.75S" exif:GPSLongitude="45,53.2W" xmp:Rating="4">'
    + "<photoshop:City>São José dos Campos</photoshop:City>".encode()
    + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def photo(kind: str, *, exif_gps: bool = False, xmp: bytes | None = None, size=(1600, 1200)):
    """A photo as a phone saves it: JPEG, PNG, WebP or HEIC, with its location where asked."""
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x0132] = "2026:11:27 10:00:00"  # DateTime, which stays
    if exif_gps:
        exif[GPS_IFD] = {1: "S", 2: (23.0, 10.0, 45.0), 3: "W", 4: (45.0, 53.0, 12.0)}
    options = {"exif": exif.tobytes()}
    if xmp:
        options["xmp"] = xmp
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def bomb(size: int, mode: str = "1") -> bytes:
    """A PNG of a few hundred kilobytes that declares `size` × `size` pixels."""
    out = io.BytesIO()
    Image.new(mode, (size, size)).save(out, "PNG", optimize=True)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_the_location_leaves_exif_and_xmp_in_every_kind(kind):
    data = photo(kind, exif_gps=True, xmp=XMP_WITH_PLACE)
    with Image.open(io.BytesIO(data)) as before:
        assert has_location(before)
    cleaned = without_location(data)
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.format == before.format  # an HEIC stays an HEIC
        assert not has_location(after)
        assert GPS_IFD not in after.getexif()
        assert after.getexif()[0x0132] == "2026:11:27 10:00:00"  # the time taken is kept
        xmp = after.info.get("xmp") or b""
        xmp = xmp if isinstance(xmp, bytes) else xmp.encode()
        assert b"GPS" not in xmp
        assert "São José".encode() not in xmp
        if kind != "PNG":
            assert b'xmp:Rating="4"' in xmp  # what does not place the photo stays


def test_a_location_held_only_in_xmp_is_removed_too():
    data = photo("JPEG", xmp=XMP_WITH_PLACE)
    cleaned = without_location(data)
    assert cleaned != data
    with Image.open(io.BytesIO(cleaned)) as after:
        assert not has_location(after)


def test_an_iphone_photo_gets_its_thumbnail():
    small = thumbnail(photo("HEIF", exif_gps=True, size=(4032, 3024)))
    assert small is not None
    with Image.open(io.BytesIO(small)) as image:
        assert (image.format, max(image.size)) == ("JPEG", 640)
        assert GPS_IFD not in image.getexif()


def test_a_photo_without_location_is_left_as_it_is():
    data = photo("JPEG")
    assert without_location(data) is data


@pytest.mark.parametrize("size", [9000, 12000])
def test_decompression_bombs_are_refused_before_decoding(size):
    data = bomb(size)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ImageRefused) as refused:
        check_image(data)
    assert refused.value.code == "too_many_pixels"
    assert thumbnail(data) is None
    assert without_location(data) is data


def test_a_48_megapixel_phone_photo_passes():
    check_image(bomb(6900, "L"))  # 47.6 megapixels


def test_an_image_that_cannot_be_read_is_refused():
    with pytest.raises(ImageRefused) as refused:
        check_image(b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 50)
    assert refused.value.code == "unreadable"
