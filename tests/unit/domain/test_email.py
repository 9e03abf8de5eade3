import re

import pytest
from pydantic import BaseModel, ValidationError

from shared.domain.email import normalize_email
from shared.domain.types import Email


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("mariana.rocha@metalvale.com.br", "mariana.rocha@metalvale.com.br"),
        ("  Diego.Martinez@MetalVale.com.br ", "diego.martinez@metalvale.com.br"),
        ("manutencao+linha3@metalvale.com.br", "manutencao+linha3@metalvale.com.br"),
        ("o'neil_j-2@plant.example.co.uk", "o'neil_j-2@plant.example.co.uk"),
        ("compras@açaí.com.br", "compras@açaí.com.br"),
        ("ti@xn--aa-4iaz.com.br", "ti@xn--aa-4iaz.com.br"),
        (f"{'a' * 64}@metalvale.com.br", f"{'a' * 64}@metalvale.com.br"),
    ],
)
def test_addresses_people_have_are_kept_in_lower_case(given, kept):
    assert normalize_email(given) == kept


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("", "name, '@' and a domain"),
        ("mariana.rocha", "name, '@' and a domain"),
        ("@metalvale.com.br", "name, '@' and a domain"),
        ("mariana@", "name, '@' and a domain"),
        ("Patricia@@metalvale.com.br", "single '@'"),
        ("a@b@metalvale.com.br", "single '@'"),
        ("maria rocha@metalvale.com.br", "may not"),
        ("joão@metalvale.com.br", "may not"),
        (".mariana@metalvale.com.br", "a dot at its start"),
        ("mariana.@metalvale.com.br", "a dot at its start"),
        ("mari..ana@metalvale.com.br", "a dot at its start"),
        ('"mariana"@metalvale.com.br', "may not"),
        ("Ana <ana@metalvale.com.br>", "may not"),
        ("mariana@localhost", "needs at least one dot"),
        ("mariana@metalvale..com", "not a domain name"),
        ("mariana@metalvale.com.", "not a domain name"),
        ("mariana@-metalvale.com", "not a domain name"),
        ("mariana@metal_vale.com", "not a domain name"),
        ("mariana@[10.0.0.1]", "not a domain name"),
        ("mariana@10.0.0.1", "not a domain name"),
        (f"{'a' * 65}@metalvale.com.br", "longer than 64"),
        (f"ana@{'a' * 63}.{'b' * 63}.{'c' * 63}.{'d' * 60}.com", "at most 254"),
    ],
)
def test_malformed_addresses_are_refused_saying_why(given, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        normalize_email(given)


class _Person(BaseModel):
    email: Email


def test_a_directory_address_may_not_contain_a_slash_and_is_documented_as_email():
    assert _Person(email="Ana.Souza@MetalVale.com.br").email == "ana.souza@metalvale.com.br"
    with pytest.raises(ValidationError, match="may not contain '/'"):
        _Person(email="ana/souza@metalvale.com.br")
    with pytest.raises(ValidationError, match="single '@'"):
        _Person(email="ana@@metalvale.com.br")
    schema = _Person.model_json_schema()["properties"]["email"]
    assert (schema["type"], schema["format"]) == ("string", "email")
