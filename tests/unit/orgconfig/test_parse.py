"""The configuration file: the demo is valid, and every mistake is named with its path."""

import copy
from pathlib import Path

import pytest
import yaml

from shared.orgconfig import ConfigError, parse_organisation, read_organisation

DEMO = Path(__file__).resolve().parents[3] / "config" / "demo-organisation.yaml"


@pytest.fixture(scope="module")
def demo_raw():
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))


def test_the_demo_organisation_is_valid():
    org = read_organisation(DEMO)
    assert org.organisation.locale == "pt-BR"
    assert len(org.assets) >= 12
    assert {p.type for p in org.policies} == {"incident", "request"}
    assert len({p.priority for p in org.policies}) >= 3


def problems_of(raw) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        parse_organisation(raw, source="org.yaml")
    assert "org.yaml: " in str(caught.value)
    return dict(caught.value.problems)


def test_schema_errors_name_the_entry_by_its_id(demo_raw):
    raw = copy.deepcopy(demo_raw)
    raw["policies"][0]["capture_format"][1]["type"] = "colour"
    raw["policies"][2]["response_time"] = "soon"
    raw["people"][3]["email"] = "not an address"
    raw["categories"][0]["name"] = {}
    problems = problems_of(raw)
    assert "at least one language" in problems["categories[falha-mecanica].name"]
    assert "policies[inc-linha-parada].capture_format[maquina].type" in problems
    assert "policies[inc-sistema-fora].response_time" in problems
    assert "people[not an address].email" in problems


def test_broken_references_are_all_reported(demo_raw):
    raw = copy.deepcopy(demo_raw)
    raw["departments"][0]["area"] = "marketing"
    raw["policies"][1]["calendar"] = "lua"
    raw["policies"][1]["default_responsible"] = "ghost@metalvale.com.br"
    raw["assets"][0]["responsible"] = "ghost@metalvale.com.br"
    raw["people"][1]["department"] = "estamparia"  # belongs to producao; person is in producao
    raw["people"][2]["department"] = "sistemas"  # belongs to ti, person is in producao
    problems = problems_of(raw)
    assert problems["departments[usinagem].area"] == "unknown area 'marketing'"
    assert problems["policies[inc-degradacao].calendar"] == "unknown calendar 'lua'"
    assert "ghost" in problems["policies[inc-degradacao].default_responsible"]
    assert "ghost" in problems["assets[CNC-01].responsible"]
    assert "people[joao.ferreira@metalvale.com.br].department" not in problems
    assert "belongs to area 'ti'" in problems["people[ana.souza@metalvale.com.br].department"]


def test_calendar_mistakes_are_caught(demo_raw):
    raw = copy.deepcopy(demo_raw)
    raw["calendars"][0]["timezone"] = "America/Atlantis"
    raw["calendars"][1]["hours"]["mon"] = ["8h-12h"]
    raw["calendars"][1]["holidays"] = {"country": "ZZ"}
    problems = problems_of(raw)
    assert "unknown time zone" in problems["calendars[fabrica-3-turnos].timezone"]
    assert "07:00-12:00" in problems["calendars[administrativo].hours.mon"]
    assert "calendars[administrativo].holidays" in problems


def test_policy_rules(demo_raw):
    raw = copy.deepcopy(demo_raw)
    policy = raw["policies"][0]
    policy["resolution_time"] = "10m"
    policy["warnings"] = [75, 50]
    policy["capture_format"][0]["choices"] = []
    raw["policies"][1]["id"] = raw["policies"][0]["id"]
    problems = problems_of(raw)
    assert problems["policies[inc-linha-parada].resolution_time"].startswith("must not be shorter")
    assert "increasing" in problems["policies[inc-linha-parada].warnings"]
    assert problems["policies[inc-linha-parada].capture_format[linha].choices"]
    assert problems["policies[inc-linha-parada]"] == "appears more than once"


def test_not_yaml_or_not_a_mapping(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("areas: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        read_organisation(bad)
    with pytest.raises(ConfigError, match="mapping"):
        parse_organisation(["a list"])
