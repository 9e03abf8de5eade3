"""Signed links to evidence are made once and handed out again while half their life
remains: a page viewed again signs nothing new (each signature is an IAM call in production)."""

from datetime import timedelta

from shared.storage.evidence import GcsEvidenceStore

SIGNED: list[str] = []


class Blob:
    def __init__(self, name: str) -> None:
        self.name = name

    def generate_signed_url(self, **options) -> str:
        SIGNED.append(self.name)
        return f"https://storage.example/{self.name}?sig={len(SIGNED)}"


class Client:
    def bucket(self, name: str):
        return type("Bucket", (), {"blob": staticmethod(Blob)})()


class Signer:
    def sign_bytes(self, data: bytes) -> bytes:
        return b"x"


def test_a_link_is_signed_once_while_it_has_life_left():
    store = GcsEvidenceStore(Client(), "evidence", Signer())
    hour = timedelta(hours=1)
    first = [store.signed_url(f"tickets/t/{n}.jpg", hour) for n in range(3)]
    again = [store.signed_url(f"tickets/t/{n}.jpg", hour) for n in range(3)]
    assert first == again
    assert len(SIGNED) == 3
    store.signed_url("tickets/t/0.jpg", timedelta(days=7))  # another life: another link
    assert len(SIGNED) == 4
