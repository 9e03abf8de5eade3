"""Sign a JSON body the way the Google Form's Apps Script does, and post it.

    python -m tools.sign_request URL FILE.json [--client google-forms] [--secret S] [--path /]

The signature (v2) covers the time, the method, the path the function receives (`/` for its
own URL; `--path /uploads/<id>/complete` for a completion), the client and the body. Prints
the answer's status and JSON. The secret defaults to the development one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from shared.config import parse_intake_clients
from shared.intake.auth import sign
from tools.devconfig import DEV_INTAKE_CLIENTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("file", help="JSON body ('-' for standard input)")
    parser.add_argument("--client", default="google-forms")
    parser.add_argument("--secret", help="the client's HMAC secret (default: development)")
    parser.add_argument("--path", default="/", help="the path the function receives (/)")
    args = parser.parse_args(argv)
    body = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    body_bytes = body.encode("utf-8")
    clients = parse_intake_clients(os.environ.get("HELPDESK_INTAKE_CLIENTS", DEV_INTAKE_CLIENTS))
    secret = args.secret or next(c.secrets[0] for c in clients if c.id == args.client)
    headers = {
        "Content-Type": "application/json",
        "X-Helpdesk-Client": args.client,
        "X-Helpdesk-Signature": sign(
            secret, body_bytes, int(time.time()), "POST", args.path, args.client
        ),
    }
    try:
        with urlopen(Request(args.url, body_bytes, headers, method="POST"), timeout=30) as answer:  # noqa: S310
            status, payload = answer.status, answer.read()
    except HTTPError as error:
        status, payload = error.code, error.read()
    print(status)
    with contextlib.suppress(BrokenPipeError):  # piped into `head`
        print(json.dumps(json.loads(payload), indent=2, ensure_ascii=False))
    return 0 if status < 400 else 1


if __name__ == "__main__":
    sys.exit(main())
