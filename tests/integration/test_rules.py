"""firestore.rules in the emulator's rules engine: clients can neither read nor write; the
functions (admin credentials in the emulator, service accounts in production) bypass rules."""

import base64
import json
import os

import pytest
import requests


def unsigned_id_token(uid: str) -> str:
    """A Firebase ID token as the emulator accepts it (it does not check signatures)."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {
        "sub": uid,
        "user_id": uid,
        "aud": "demo",
        "iss": "https://securetoken.google.com/demo",
        "email": f"{uid}@metalvale.com.br",
        "email_verified": True,
        "iat": 0,
        "exp": 9999999999,
    }
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.fixture
def documents(emulator_env, db):
    db.collection("tickets").document("t1").set({"title": "Prensa travada"})
    host = os.environ["FIRESTORE_EMULATOR_HOST"]
    return f"http://{host}/v1/projects/{db.project}/databases/(default)/documents"


@pytest.mark.parametrize("who", ["anonymous", "signed-in"])
def test_clients_cannot_read_or_write(documents, who):
    headers = (
        {} if who == "anonymous" else {"Authorization": f"Bearer {unsigned_id_token('lucas')}"}
    )
    read = requests.get(f"{documents}/tickets/t1", headers=headers, timeout=10)
    write = requests.patch(
        f"{documents}/tickets/t1",
        headers=headers,
        timeout=10,
        json={"fields": {"title": {"stringValue": "alterado"}}},
    )
    listing = requests.get(f"{documents}/people", headers=headers, timeout=10)
    assert (read.status_code, write.status_code, listing.status_code) == (403, 403, 403)


def test_the_functions_credentials_bypass_the_rules(documents, db):
    admin = requests.get(
        f"{documents}/tickets/t1", headers={"Authorization": "Bearer owner"}, timeout=10
    )
    assert admin.status_code == 200
    assert db.collection("tickets").document("t1").get().to_dict()["title"] == "Prensa travada"
