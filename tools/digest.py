"""Send one person's daily digest now, as its Cloud Task would at the start of their first
working interval (development only: the timers' shared secret stands for the OIDC token).

    .venv/bin/python -m tools.digest carlos.mendes@metalvale.com.br [--day 2026-12-02]
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from tools.devconfig import DEV_FUNCTION_ENV, FUNCTION_PORTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("email")
    parser.add_argument("--day", help="the digest's day (default: today in São Paulo)")
    args = parser.parse_args(argv)
    day = args.day or datetime.now(ZoneInfo("America/Sao_Paulo")).date().isoformat()
    answer = requests.post(
        f"http://127.0.0.1:{FUNCTION_PORTS['digest']}/send",
        json={"email": args.email.strip().lower(), "day": day},
        headers={"X-Helpdesk-Timer-Secret": DEV_FUNCTION_ENV["HELPDESK_TIMER_SECRET"]},
        timeout=60,
    )
    print(answer.status_code, answer.text.strip())
    if answer.ok and answer.json().get("outcome") == "late":
        print(
            f"{day}'s first working interval began more than 12 hours ago (a digest that late is"
            " not sent): name a day still ahead, e.g. --day with tomorrow's date"
        )
    return 0 if answer.ok else 1


if __name__ == "__main__":
    sys.exit(main())
