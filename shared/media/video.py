"""A video's poster frame and duration, read without holding the video.

ffmpeg (the static build the `imageio-ffmpeg` wheel ships) opens the object through the
JSON API's download address, with the function's own token, and reads it with HTTP range
requests: the container's index (an MP4 or MOV keeps it in its `moov` box, at the start or,
as phones write it, at the end; WebM in its first clusters) and the bytes of the first frame,
whatever the size of the video. The frame becomes a JPEG of at most 640 px, turned as the
camera held it, without metadata.
A video ffmpeg cannot decode still gets a poster: a dark placeholder with its duration.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass

from shared.formatting import clock
from shared.log import get_logger

log = get_logger("media")

POSTER_WIDTH = 640
PROBE_SECONDS = 90  # ffmpeg gives up after this; the upload is then accepted with a placeholder
_DURATION = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")


@dataclass(frozen=True)
class VideoFacts:
    poster: bytes  # a JPEG
    duration_seconds: float | None
    placeholder: bool  # no frame could be decoded: the poster only says it is a video


def probe(url: str, headers: dict[str, str] | None = None) -> VideoFacts:
    """The first frame and the duration of the video at `url` (ranged reads only)."""
    frame, duration = b"", None
    try:
        found = subprocess.run(  # noqa: S603 - ffmpeg from its wheel; the URL is one argument
            _command(url, headers or {}),
            capture_output=True,
            timeout=PROBE_SECONDS,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        frame = found.stdout if found.stdout.startswith(b"\xff\xd8") else b""
        duration = duration_in(found.stderr.decode("utf-8", "replace"))
        if not frame:
            log.warning("no frame decoded from a video", extra={"exit": found.returncode})
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("the video could not be probed", extra={"error": type(error).__name__})
    if frame:
        return VideoFacts(frame, duration, placeholder=False)
    return VideoFacts(placeholder_poster(duration), duration, placeholder=True)


def _command(url: str, headers: dict[str, str]) -> list[str]:
    import certifi
    import imageio_ffmpeg

    return [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "info",  # the input's description (its duration) goes to stderr
        "-rw_timeout",
        "20000000",  # microseconds: a stalled read fails rather than hangs
        *(["-tls_verify", "1", "-ca_file", certifi.where()] if url.startswith("https:") else []),
        *(["-headers", "".join(f"{k}: {v}\r\n" for k, v in headers.items())] if headers else []),
        "-i",
        url,
        "-map",
        "0:v:0",
        "-frames:v",
        "1",
        "-vf",
        f"scale='min({POSTER_WIDTH},iw)':-2",
        "-map_metadata",
        "-1",
        "-f",
        "image2pipe",
        "-c:v",
        "mjpeg",
        "-q:v",
        "4",
        "pipe:1",
    ]


def duration_in(description: str) -> float | None:
    """The duration ffmpeg printed for its input, in seconds (None when it printed N/A)."""
    match = _DURATION.search(description)
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def placeholder_poster(duration: float | None) -> bytes:
    """A 640×360 dark frame with a play sign and the duration (when known)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (POSTER_WIDTH, 360), (31, 41, 55))
    draw = ImageDraw.Draw(image)
    draw.polygon([(290, 130), (290, 230), (375, 180)], fill=(243, 244, 246))
    if duration is not None:
        draw.text((300, 260), clock(duration), fill=(243, 244, 246), font_size=28)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
