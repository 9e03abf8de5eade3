"""Local stand-in for what Cloud Storage does for browsers: CORS on uploads and downloads.

The storage emulator answers no CORS preflight, so a page could not PUT evidence to it. This
proxy sits in front of it (the stack points STORAGE_EMULATOR_HOST here), forwards every
request, answers preflights and adds the CORS headers Cloud Storage adds for a resumable
session's origin. Development and tests only.

    python -m tools.cors_proxy LISTEN_PORT EMULATOR_PORT
"""

from __future__ import annotations

import http.client
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, PUT, POST, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Content-Range, X-Upload-Content-Type, "
    "X-Upload-Content-Length, X-Goog-Resumable",
    "Access-Control-Expose-Headers": "Location, Range, X-Goog-Generation",
    "Access-Control-Max-Age": "3600",
}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


def make_handler(upstream_port: int, own_port: int):
    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_OPTIONS(self) -> None:
            self.send_response(204)
            for name, value in CORS.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if length and len(body or b"") < length:
                # The client's connection was cut mid-body: like Cloud Storage, keep nothing
                # of the request (the session still holds what earlier requests committed).
                self.close_connection = True
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            asked = self.headers.get("Host") or f"127.0.0.1:{own_port}"  # any proxy before us
            headers["Host"] = f"127.0.0.1:{upstream_port}"
            upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=120)
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            own, theirs = asked.encode(), f"127.0.0.1:{upstream_port}".encode()
            data = data.replace(theirs, own)
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() in HOP_BY_HOP or name.lower() == "content-length":
                    continue
                if answer.status == 308 and name.lower() == "range" and value == "bytes=0-0":
                    # The emulator says "0-0" (one byte) when a session holds nothing; Cloud
                    # Storage then sends no Range at all, which is what clients expect.
                    continue
                self.send_header(name, value.replace(theirs.decode(), own.decode()))
            for name, value in CORS.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            upstream.close()

        do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _forward

    return Proxy


def main() -> int:
    own_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", own_port), make_handler(upstream_port, own_port))
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
