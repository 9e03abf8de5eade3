"""`make bench`: a large video through the resumable protocol the pages use, against a bare
upload of the same file to the same storage emulator.

The chunked upload follows `shared/pages/static/upload.js` (4 MiB first, then chunks sized to
take about 8 s, multiples of 256 KiB up to 64 MiB) through `tools/flaky_proxy.py`, which cuts
the connection once in the middle of a chunk; the client then asks the session what it holds
and goes on. The bare upload is one PUT of the whole file to a session. Both end with the
object checked whole (size and SHA-256).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

import requests

from tools.flaky_proxy import FlakyProxy
from tools.sample_video import padded_video

MB = 1024 * 1024
QUANTUM = 256 * 1024


def _session(bucket, name: str, size: int) -> str:
    return bucket.blob(name).create_resumable_upload_session(content_type="video/mp4", size=size)


def _held(answer: requests.Response, size: int) -> int:
    if answer.status_code in (200, 201):
        return size
    found = answer.headers.get("Range", "")
    return int(found.rsplit("-", 1)[1]) + 1 if found.startswith("bytes=0-") else 0


def chunked_upload(url: str, path: Path, size: int) -> int:
    """Upload as the page does; returns how many times it had to ask the session."""
    offset, chunk, asked = 0, 16 * QUANTUM, 0
    with open(path, "rb") as data:
        while offset < size:
            end = min(offset + chunk, size)
            data.seek(offset)
            body = data.read(end - offset)
            began = time.perf_counter()
            headers = {"Content-Range": f"bytes {offset}-{end - 1}/{size}"}
            try:
                answer = requests.put(url, data=body, headers=headers, timeout=120)
            except requests.ConnectionError:
                asked += 1
                ask = {"Content-Range": f"bytes */{size}"}
                answer = requests.put(url, headers=ask, timeout=60)
                offset = _held(answer, size)
                chunk = max(2 * QUANTUM, chunk // 2 // QUANTUM * QUANTUM)
                continue
            held = _held(answer, size)
            seconds = max(0.05, time.perf_counter() - began)
            fits = int((held - offset) / seconds * 8) // QUANTUM * QUANTUM
            chunk = max(2 * QUANTUM, min(256 * QUANTUM, fits, chunk * 2))
            offset = held
    return asked


def _whole(bucket, name: str, digest: str, size: int) -> bool:
    stored = bucket.blob(name).download_as_bytes()
    return len(stored) == size and hashlib.sha256(stored).hexdigest() == digest


def bench_upload(quick: bool) -> dict:
    from google.cloud import storage

    size = (64 if quick else 600) * MB
    client = storage.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    bucket = client.bucket(os.environ["HELPDESK_EVIDENCE_BUCKET"])
    emulator = os.environ["STORAGE_EMULATOR_HOST"].rstrip("/")
    with tempfile.TemporaryDirectory() as folder:
        path = padded_video(Path(folder) / "turno.mp4", size)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()

        began = time.perf_counter()
        with open(path, "rb") as data:
            requests.put(_session(bucket, "bench/bare.mp4", size), data=data, timeout=600)
        bare = time.perf_counter() - began

        port = int(emulator.rsplit(":", 1)[1])
        with FlakyProxy(port) as proxy:
            proxy.cut_at(int(size * 0.4))
            url = _session(bucket, "bench/chunked.mp4", size)
            url = url.replace(emulator, f"http://127.0.0.1:{proxy.port}")
            began = time.perf_counter()
            asked = chunked_upload(url, path, size)
            chunked = time.perf_counter() - began
            cuts = proxy.cut
        whole = _whole(bucket, "bench/bare.mp4", digest, size) and _whole(
            bucket, "bench/chunked.mp4", digest, size
        )
    return {
        "upload_mb": size // MB,
        "upload_bare_s": bare,
        "upload_chunked_s": chunked,
        "upload_cuts": cuts,
        "upload_asked": asked,
        "upload_whole": whole,
    }


def summary(f: dict) -> str:
    mb = f["upload_mb"]
    return (
        f"\n{mb} MB video, resumable in chunks through {f['upload_cuts']} cut"
        f"  {f['upload_chunked_s']:.1f} s = {mb / f['upload_chunked_s']:.0f} MB/s"
        f"   (arrived whole: {'yes' if f['upload_whole'] else 'NO'})"
        f"\n  / one bare PUT of the same file ({f['upload_bare_s']:.1f} s = "
        f"{mb / f['upload_bare_s']:.0f} MB/s) = {f['upload_chunked_s'] / f['upload_bare_s']:.1f}x"
    )
