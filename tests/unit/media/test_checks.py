"""Evidence checks: real types from magic bytes, sizes, names, thumbnails and GPS removal."""

import io

import pytest
from PIL import Image

from shared.domain.attachments import MB, AttachmentLimits
from shared.media.checks import check_object, object_name, safe_filename
from shared.media.images import GPS_IFD, thumbnail, without_location

LIMITS = AttachmentLimits(image_bytes=10 * MB, video_bytes=500 * MB, document_bytes=10 * MB)


def jpeg(size=(2000, 1500), gps=False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0132] = "2026:11:27 10:00:00"  # DateTime
    if gps:
        exif[GPS_IFD] = {1: "S", 2: (23.0, 10.0, 45.0), 3: "W", 4: (45.0, 53.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 40
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 40
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 40
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 40


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (jpeg((10, 10)), "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (HEIC, "image/heic"),
        (MP4, "video/mp4"),
        (MOV, "video/quicktime"),
        (WEBM, "video/webm"),
        (b"%PDF-1.7\n", "application/pdf"),
    ],
)
def test_accepted_kinds_are_recognised_by_their_bytes(head, expected):
    verdict = check_object(head[:64], 1000, LIMITS)
    assert (verdict.accepted, verdict.content_type) == (True, expected)


@pytest.mark.parametrize(
    "head",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">',
        b"<!doctype html><script>alert(1)</script>",
        b"GIF89a\x01\x00",
        b"MZ\x90\x00 executable",
        b"PK\x03\x04 zip",
    ],
)
def test_other_files_are_refused_whatever_their_name(head):
    verdict = check_object(head, 1000, LIMITS)
    assert not verdict.accepted
    assert "whatever its name says" in verdict.reason


def test_sizes():
    assert check_object(MP4, 0, LIMITS).reason == "the file is empty"
    assert check_object(MP4, 500 * MB, LIMITS).accepted
    assert check_object(MP4, 500 * MB + 1, LIMITS).reason == "a video may be at most 500 MB"
    assert check_object(jpeg((10, 10)), 11 * MB, LIMITS).reason == "an image may be at most 10 MB"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        (".htaccess", "htaccess"),
        ("foto da máquina (1).jpg", "foto-da-maquina-1-.jpg"),
        ("a\x00b.jpg", "a-b.jpg"),
        ("....", "evidence"),
        ("x" * 300 + ".mp4", "x" * 96 + ".mp4"),
    ],
)
def test_safe_names(given, expected):
    assert safe_filename(given) == expected


def test_object_names_stay_in_the_ticket_folder():
    name = object_name("0123456789abcdef01234567", "../../other/secret.jpg")
    assert name.startswith("tickets/0123456789abcdef01234567/")
    assert name.endswith("/secret.jpg")
    assert ".." not in name
    with pytest.raises(ValueError, match="ticket id"):
        object_name("../x", "a.jpg")


def test_thumbnails_are_small_jpegs_without_metadata():
    small = thumbnail(jpeg(gps=True))
    with Image.open(io.BytesIO(small)) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 640
        assert not image.getexif()
    assert thumbnail(HEIC) is None  # no decoder for HEIC: kept without a thumbnail


def test_the_location_is_taken_out_and_the_rest_kept():
    cleaned = without_location(jpeg(gps=True))
    with Image.open(io.BytesIO(cleaned)) as image:
        exif = image.getexif()
        assert GPS_IFD not in exif
        assert exif[0x0132] == "2026:11:27 10:00:00"
    untouched = jpeg()
    assert without_location(untouched) == untouched


@pytest.mark.parametrize(
    ("declared", "filename"),
    [
        ("image/heif", "IMG_0042.heic"),  # what Chromium says of an iPhone photo
        ("", "IMG_0042.HEIC"),  # a picker that says nothing
        ("application/octet-stream", "IMG_0042.heif"),
    ],
)
def test_what_browsers_call_an_iphone_photo_is_accepted(declared, filename):
    from shared.domain.attachments import attachment_problems, declared_type

    assert attachment_problems(filename, declared, 1000, LIMITS) == []
    assert declared_type(declared, filename) == "image/heic"
