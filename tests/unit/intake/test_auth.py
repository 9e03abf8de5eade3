"""Intake authentication: HMAC with a timestamp, static keys, rotation."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.config import IntakeClient, Signed, parse_intake_clients
from shared.errors import Unauthorized
from shared.intake.auth import authenticate, sign, sign_v1

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TOLERANCE = timedelta(minutes=5)
FORMS = IntakeClient("google-forms", "hmac", ("old-secret-0123456789", "new-secret-0123456789"))
APPSHEET = IntakeClient("appsheet", "key", ("appsheet-key-0123456789",))
CLIENTS = (FORMS, APPSHEET)
BODY = b'{"title": "x"}'


POST_TICKET = Signed("POST", "/")


def check(headers, body=BODY, now=NOW, request=POST_TICKET):
    return authenticate(headers, body, CLIENTS, now, TOLERANCE, request)


def test_either_rotated_secret_signs_valid_requests():
    for secret in FORMS.secrets:
        stamp = int(NOW.timestamp())
        assert check({"X-Helpdesk-Signature": sign(secret, BODY, stamp)}) is FORMS


@pytest.mark.parametrize("skew", [-301, 301])
def test_signatures_outside_five_minutes_are_refused(skew):
    header = sign(FORMS.secrets[0], BODY, int(NOW.timestamp()) + skew)
    with pytest.raises(Unauthorized, match="too far"):
        check({"X-Helpdesk-Signature": header})


def test_a_signature_is_bound_to_the_body_and_the_time():
    stamp = int(NOW.timestamp())
    header = sign(FORMS.secrets[0], BODY, stamp)
    with pytest.raises(Unauthorized):
        check({"X-Helpdesk-Signature": header}, body=BODY + b" ")
    moved = header.replace(f"t={stamp}", f"t={stamp + 1}")
    with pytest.raises(Unauthorized):
        check({"X-Helpdesk-Signature": moved})


def test_a_signature_covers_the_method_the_path_and_the_client():
    """A captured signed body cannot be replayed against another endpoint, with another
    method, or as another client."""
    stamp = int(NOW.timestamp())
    secret = FORMS.secrets[0]
    upload = Signed("POST", "/uploads/abc/complete")
    header = sign(secret, BODY, stamp, "POST", "/uploads/abc/complete")
    assert check({"X-Helpdesk-Signature": header}, request=upload) is FORMS
    for elsewhere in (POST_TICKET, Signed("GET", "/uploads/abc/complete")):
        with pytest.raises(Unauthorized, match="does not match"):
            check({"X-Helpdesk-Signature": header}, request=elsewhere)
    named = sign(secret, BODY, stamp, client="google-forms")
    assert check({"X-Helpdesk-Signature": named, "X-Helpdesk-Client": "google-forms"}) is FORMS
    with pytest.raises(Unauthorized):
        check({"X-Helpdesk-Signature": header.replace("v2", "v1")}, request=upload)


def test_the_first_scheme_is_accepted_only_while_the_setting_allows():
    header = sign_v1(FORMS.secrets[0], BODY, int(NOW.timestamp()))
    assert check({"X-Helpdesk-Signature": header}) is FORMS
    with pytest.raises(Unauthorized, match="v1 is no longer accepted"):
        check({"X-Helpdesk-Signature": header}, request=Signed("POST", "/", accept_v1=False))


@pytest.mark.parametrize("header", ["", "v1=abc", "t=soon,v1=abc", "garbage"])
def test_malformed_signature_headers_are_refused(header):
    with pytest.raises(Unauthorized):
        check({"X-Helpdesk-Signature": header} if header else {})


def test_keys_only_work_for_key_clients_and_a_named_client_narrows_the_search():
    assert check({"X-Helpdesk-Key": APPSHEET.secrets[0]}) is APPSHEET
    with pytest.raises(Unauthorized):
        check({"X-Helpdesk-Key": FORMS.secrets[0]})  # an HMAC secret is not a key
    with pytest.raises(Unauthorized):
        check({"X-Helpdesk-Key": APPSHEET.secrets[0], "X-Helpdesk-Client": "google-forms"})


def test_client_configuration_is_checked():
    clients = parse_intake_clients('{"api": {"auth": "hmac", "secret": "0123456789abcdefgh"}}')
    assert clients == (IntakeClient("api", "hmac", ("0123456789abcdefgh",)),)
    with pytest.raises(ValueError, match="at least 16"):
        parse_intake_clients('{"api": {"auth": "hmac", "secret": "short"}}')
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_intake_clients("{")
