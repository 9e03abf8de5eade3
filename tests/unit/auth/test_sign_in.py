"""Signing in with Google: only a genuine, current token for the console, with a verified
address of the organisation's domain, names a person; the local stand-in issuer is trusted
only when the development setting names it."""

from __future__ import annotations

import time

import pytest

from shared.auth.sign_in import (
    GOOGLE_CERTS,
    Certificates,
    SignInRefused,
    google,
    stand_in,
    verify_sign_in,
)
from tools.dev_issuer import StandInIssuer

CLIENT = "console-client.apps.googleusercontent.com"
DOMAIN = "metalvale.com.br"
ISSUER_URL = "http://127.0.0.1:8714"


@pytest.fixture(scope="module")
def issuer():
    return StandInIssuer(ISSUER_URL)


@pytest.fixture(scope="module")
def other():
    return StandInIssuer(ISSUER_URL)  # the same name, other keys: a forger's


def certificates(issuer, google_certs=None):
    published = {f"{ISSUER_URL}/certs": issuer.certs(), GOOGLE_CERTS: google_certs or {}}
    return Certificates(fetch=lambda url: published[url])


def verify(token, issuer, issuers=None, **kw):
    return verify_sign_in(
        token,
        audience=kw.get("audience", CLIENT),
        domain=DOMAIN,
        issuers=issuers if issuers is not None else [google(), stand_in(ISSUER_URL)],
        certificates=certificates(issuer),
    )


def reason(token, issuer, issuers=None, **kw) -> str:
    with pytest.raises(SignInRefused) as refused:
        verify(token, issuer, issuers, **kw)
    return refused.value.reason


def test_a_genuine_token_names_the_person(issuer):
    token = issuer.token("Ricardo.Almeida@metalvale.com.br", CLIENT, name="Ricardo Almeida")
    signed = verify(token, issuer)
    assert (signed.email, signed.name) == ("ricardo.almeida@metalvale.com.br", "Ricardo Almeida")


def test_a_forged_expired_foreign_or_other_domain_token_is_refused(issuer, other):
    email = "ricardo.almeida@metalvale.com.br"
    assert reason(other.token(email, CLIENT), issuer) == "signin_invalid"  # other keys
    expired = issuer.token(email, CLIENT, issued_at=time.time() - 7200, lifetime=3600)
    assert reason(expired, issuer) == "signin_expired"
    assert reason(issuer.token(email, "another-app.apps.googleusercontent.com"), issuer) == (
        "signin_invalid"
    )
    assert reason(issuer.token("ana@gmail.com", CLIENT, hd=""), issuer) == "signin_other_domain"
    outsider = issuer.token("ana@concorrente.com.br", CLIENT)
    assert reason(outsider, issuer) == "signin_other_domain"
    spoofed = issuer.token("ana@concorrente.com.br", CLIENT, hd=DOMAIN)  # hd alone is not enough
    assert reason(spoofed, issuer) == "signin_other_domain"
    assert reason(issuer.token(email, CLIENT, verified=False), issuer) == "signin_unverified"
    wrong_iss = issuer.token(email, CLIENT, issuer="https://evil.example")
    assert reason(wrong_iss, issuer) == "signin_invalid"
    for nonsense in ("", "abc", "a.b.c", "x" * 9000):
        assert reason(nonsense, issuer) == "signin_invalid"


def test_a_stand_in_token_is_refused_unless_the_development_setting_names_it(issuer):
    token = issuer.token("ricardo.almeida@metalvale.com.br", CLIENT)
    assert reason(token, issuer, issuers=[google()]) == "signin_invalid"
    assert verify(token, issuer, issuers=[google(), stand_in(ISSUER_URL)]).email
