"""Real videos of any size for tests and `make bench`: a short H.264 clip that Chromium plays
and ffmpeg decodes, as a phone writes it (its index, `moov`, after the frames), followed by a
`free` box of random bytes up to the size asked for. Players skip `free` boxes; the random
bytes make any lost, repeated or misplaced chunk change the file's hash.

    python -m tools.sample_video OUT.mp4 SIZE_IN_MB
"""

from __future__ import annotations

import functools
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

CLIP_SECONDS = 2


@functools.cache
def clip() -> bytes:
    """A 2-second 640×360 H.264 clip (a moving test pattern)."""
    import imageio_ffmpeg

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "clip.mp4"
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=size=640x360:rate=25:duration={CLIP_SECONDS}",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                str(out),
            ],
            check=True,
            stdin=subprocess.DEVNULL,
        )
        return out.read_bytes()


def padded_video(path: Path, size: int) -> Path:
    """Write a playable MP4 of exactly `size` bytes at `path`."""
    head = clip()
    padding = size - len(head) - 8
    if padding < 0:
        raise ValueError(f"a video is at least {len(head) + 8} bytes")
    with open(path, "wb") as out:
        out.write(head)
        out.write(struct.pack(">I4s", padding + 8, b"free"))
        while padding:
            piece = min(padding, 1 << 20)
            out.write(os.urandom(piece))
            padding -= piece
    return path


if __name__ == "__main__":
    padded_video(Path(sys.argv[1]), int(float(sys.argv[2]) * 1024 * 1024))
