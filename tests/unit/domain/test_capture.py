"""A policy's capture format: required fields, types, choices, unknown fields."""

from pathlib import Path

from shared.domain.attachments import AttachmentLimits, attachment_problems
from shared.domain.capture import check_capture
from shared.orgconfig import read_organisation

ORG = read_organisation(Path(__file__).resolve().parents[3] / "config" / "demo-organisation.yaml")
POLICIES = {policy.id: policy for policy in ORG.policies}


def test_valid_answers_are_normalised():
    result = check_capture(
        POLICIES["inc-linha-parada"],
        {
            "linha": "usinagem-1",
            "maquina": " CNC-01 ",
            "sintoma": " Vibração ",
            "pecas_em_risco": "120",
        },
    )
    assert result.problems == []
    assert result.values == {
        "linha": "usinagem-1",
        "maquina": "CNC-01",
        "sintoma": "Vibração",
        "pecas_em_risco": 120,
    }
    assert result.asset_tags == {"maquina": "CNC-01"}


def test_every_problem_is_reported():
    result = check_capture(
        POLICIES["inc-degradacao"],
        {"sintoma": 42, "reducao_percentual": 140, "extra": "x"},
    )
    assert dict(result.problems) == {
        "fields.extra": "not a field of policy inc-degradacao",
        "fields.maquina": "is required",
        "fields.sintoma": "must be text",
        "fields.reducao_percentual": "must be at most 100",
    }


def test_dates_emails_and_numbers():
    policy = POLICIES["req-ti-acesso"]
    result = check_capture(
        policy, {"tipo": "acesso", "aprovador": "Patricia@@x", "justificativa": "x"}
    )
    assert "not a valid e-mail" in dict(result.problems)["fields.aprovador"]
    preventive = POLICIES["req-manutencao-preventiva"]
    result = check_capture(
        preventive, {"maquina": "CNC-01", "servico": "x", "data_preferida": "31/12/2026"}
    )
    assert dict(result.problems) == {"fields.data_preferida": "must be a date as YYYY-MM-DD"}
    result = check_capture(
        POLICIES["inc-sistema-fora"], {"sistema": "ERP-PROTHEUS", "pessoas_afetadas": True}
    )
    assert dict(result.problems) == {"fields.pessoas_afetadas": "must be a number"}


def test_attachment_rules():
    limits = AttachmentLimits(image_bytes=10, video_bytes=100)
    assert attachment_problems("foto.jpg", "image/jpeg", 10, limits) == []
    assert dict(attachment_problems("foto.jpg", "image/jpeg", 11, limits))["size"]
    assert dict(attachment_problems("v.mp4", "video/mp4", 0, limits))["size"]
    assert dict(attachment_problems("x.svg", "image/svg+xml", 5, limits))["content_type"]
    for name in ("../etc/passwd", ".htaccess", "a/b.jpg", "a\\b.jpg", "a\x00.jpg", ""):
        assert dict(attachment_problems(name, "image/png", 5, limits))["filename"], name


def test_a_count_takes_whole_numbers_only():
    policy = POLICIES["inc-linha-parada"]
    answers = {"linha": "usinagem-1", "maquina": "CNC-01", "sintoma": "Parou"}
    fractional = check_capture(policy, {**answers, "pecas_em_risco": 3.5})
    assert dict(fractional.problems) == {"fields.pecas_em_risco": "must be a whole number"}
    whole = check_capture(policy, {**answers, "pecas_em_risco": "40"})
    assert whole.values["pecas_em_risco"] == 40
