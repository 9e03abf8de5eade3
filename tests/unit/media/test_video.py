"""A video's duration as ffmpeg prints it and as people read it, and its placeholder poster."""

import io

import pytest
from PIL import Image

from shared.formatting import clock
from shared.media.video import duration_in, placeholder_poster

FFMPEG_SAYS = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'http://127.0.0.1/o/x.mp4?alt=media':
  Metadata:
    major_brand     : isom
  Duration: 00:01:05.48, start: 0.000000, bitrate: 2059 kb/s"""


def test_the_duration_is_read_from_what_ffmpeg_prints():
    assert duration_in(FFMPEG_SAYS) == pytest.approx(65.48)
    assert duration_in("  Duration: N/A, bitrate: N/A") is None


@pytest.mark.parametrize(
    ("seconds", "shown"), [(2.0, "0:02"), (65.48, "1:05"), (720, "12:00"), (3723, "1:02:03")]
)
def test_a_duration_reads_as_players_show_it(seconds, shown):
    assert clock(seconds) == shown


def test_a_video_without_a_decodable_frame_still_gets_a_poster():
    poster = Image.open(io.BytesIO(placeholder_poster(65.0)))
    assert poster.format == "JPEG"
    assert poster.size == (640, 360)
