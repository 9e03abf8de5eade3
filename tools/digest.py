"""Send one person's daily digest now, as its Cloud Task would at the start of their first
working interval (development only: the timers' shared secret stands for the OIDC token).
Today's is sent however late in the day; a past day's only within 12 hours of its start, a
day not begun never.

    .venv/bin/python -m tools.digest carlos.mendes@metalvale.com.br [--day 2026-12-02]
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from tools.devconfig import DEV_FUNCTION_ENV, FUNCTION_PORTS

EXPLAINED = {
    "sent": "sent: see the inbox (http://127.0.0.1:1080)",
    "already_sent": "already sent today: one digest per person and day",
    "nothing": "nothing to tell this person today: no digest",
    "off": 'this person turned the digest off (their lists page, "Resumo diário")',
    "nobody": "nobody active in the directory has this address",
    "no_work": "no working time that day in this person's calendar: no digest",
    "early": "that day has not begun yet: its digest waits for it",
    "late": "that day's digest is too late to send",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("email")
    parser.add_argument("--day", help="the digest's day (default: today in São Paulo)")
    args = parser.parse_args(argv)
    today = datetime.now(ZoneInfo("America/Sao_Paulo")).date().isoformat()
    day = args.day or today
    answer = requests.post(
        f"http://127.0.0.1:{FUNCTION_PORTS['digest']}/send",
        json={"email": args.email.strip().lower(), "day": day, "late_ok": day == today},
        headers={"X-Helpdesk-Timer-Secret": DEV_FUNCTION_ENV["HELPDESK_TIMER_SECRET"]},
        timeout=60,
    )
    if not answer.ok:
        print(answer.status_code, answer.text.strip())
        return 1
    outcome = answer.json().get("outcome", "")
    print(f"{outcome}: {EXPLAINED.get(outcome, outcome)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
