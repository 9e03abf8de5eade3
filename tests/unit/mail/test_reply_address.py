"""Reply addresses: one ticket, one role, one person; nobody makes one without the secret."""

from __future__ import annotations

import pytest

from shared.mail.reply_address import ReplyAddresses

SECRET = "s" * 40
TICKET = "0123456789abcdef01234567"


@pytest.fixture
def addresses():
    return ReplyAddresses(SECRET, "central@metalvale.com.br")


def test_an_address_names_its_ticket_and_role_and_fits_an_email_local_part(addresses):
    address = addresses.address(TICKET, "requester", "Lucas.Oliveira@metalvale.com.br")
    local, _, domain = address.partition("@")
    assert domain == "metalvale.com.br"
    assert local.startswith("central+")
    assert len(local) <= 64
    assert local == local.lower()
    token = addresses.token_in(["someone@else.com", address])
    assert token is not None
    assert (token.ticket_id, token.role) == (TICKET, "requester")
    assert addresses.belongs(token, "lucas.oliveira@metalvale.com.br")  # any case


def test_the_token_is_found_whatever_case_a_mail_system_gives_it(addresses):
    address = addresses.address(TICKET, "responsible", "carlos.mendes@metalvale.com.br")
    token = addresses.token_in([address.upper()])
    assert token is not None
    assert addresses.belongs(token, "carlos.mendes@metalvale.com.br")


def test_another_person_another_role_or_another_secret_does_not_match(addresses):
    address = addresses.address(TICKET, "requester", "lucas.oliveira@metalvale.com.br")
    token = addresses.token_in([address])
    assert not addresses.belongs(token, "ana.souza@metalvale.com.br")
    other = ReplyAddresses("t" * 40, "central@metalvale.com.br")
    assert not other.belongs(token, "lucas.oliveira@metalvale.com.br")
    as_responsible = addresses.token_in([address.replace(f"{TICKET}q", f"{TICKET}r")])
    assert not addresses.belongs(as_responsible, "lucas.oliveira@metalvale.com.br")


@pytest.mark.parametrize(
    "address",
    [
        "central@metalvale.com.br",
        "central+nothing@metalvale.com.br",
        "central+0123456789abcdef01234567qaaaaaaaaaaaaaaaaaaaa@outro.com.br",
        "outro+0123456789abcdef01234567qaaaaaaaaaaaaaaaaaaaa@metalvale.com.br",
    ],
)
def test_addresses_without_a_well_formed_token_of_this_mailbox_carry_none(addresses, address):
    assert addresses.token_in([address]) is None


def test_the_mailbox_knows_itself_with_or_without_a_token(addresses):
    assert addresses.is_mailbox("Central@metalvale.com.br")
    assert addresses.is_mailbox(addresses.address(TICKET, "watcher", "x@metalvale.com.br"))
    assert not addresses.is_mailbox("centralx@metalvale.com.br")
