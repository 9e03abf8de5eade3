"""Build or update the Google Form of an SLA policy from its capture format (Forms API).

    python -m tools.google_form --org config/demo-organisation.yaml --policy inc-linha-parada \
        [--form-id FORM_ID] [--locale pt-BR] [--mapping form-mapping.json] [--credentials FILE]

Without --form-id a new form is created; with it, the form's questions are replaced by the
policy's current ones (running it twice gives the same form). It writes the mapping the Apps
Script needs (`integrations/google-forms/`): which question carries which field, and the value
behind each choice's label. The Forms API cannot create file-upload questions: add the
evidence question by hand (its title goes in the mapping's `evidence_item`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from shared.domain.organisation import Asset, CaptureField, FieldType, SlaPolicy
from shared.orgconfig import read_organisation

TEXTS = {
    "title": {"pt-BR": "Título do chamado", "es": "Título del ticket", "en": "Ticket title"},
    "description": {
        "pt-BR": "Descreva o que aconteceu",
        "es": "Describa lo que pasó",
        "en": "Describe what happened",
    },
    "evidence": {
        "pt-BR": "Fotos ou vídeos do problema",
        "es": "Fotos o videos del problema",
        "en": "Photos or videos of the problem",
    },
}
SCOPES = ["https://www.googleapis.com/auth/forms.body"]


def _text(table: dict[str, str], locale: str) -> str:
    return table.get(locale) or table["pt-BR"]


def _question(field: CaptureField, assets: list[Asset], locale: str) -> tuple[dict, dict]:
    """The Forms API item of one capture field, and how its answers map back to values."""
    mapping: dict[str, Any] = {"field": field.name, "type": str(field.type)}
    question: dict[str, Any] = {"required": field.required}
    if field.type == FieldType.CHOICE:
        labels = {choice.label.get(locale): choice.value for choice in field.choices}
        question["choiceQuestion"] = {
            "type": "DROP_DOWN" if len(labels) > 6 else "RADIO",
            "options": [{"value": label} for label in labels],
        }
        mapping["choices"] = labels
    elif field.type == FieldType.ASSET:
        labels = {f"{asset.tag} — {asset.name}": asset.tag for asset in assets}
        question["choiceQuestion"] = {
            "type": "DROP_DOWN",
            "options": [{"value": label} for label in labels],
        }
        mapping["choices"] = labels
    elif field.type == FieldType.DATE:
        question["dateQuestion"] = {"includeYear": True, "includeTime": False}
    else:  # text, number, email: validated by intake, which names the field when refused
        question["textQuestion"] = {
            "paragraph": field.type == FieldType.TEXT and field.max_length > 300
        }
    item = {"title": field.label.get(locale), "questionItem": {"question": question}}
    return item, mapping


def form_plan(policy: SlaPolicy, assets: list[Asset], locale: str) -> tuple[dict, list[dict], dict]:
    """The form's info, its items in order, and the Apps Script's mapping."""
    info = {
        "title": policy.name.get(locale),
        "description": (policy.objectives.get(locale) + "\n\n" if policy.objectives else "")
        + policy.user_responsibilities.get(locale),
    }
    items = [
        {
            "title": _text(TEXTS["title"], locale),
            "questionItem": {"question": {"required": True, "textQuestion": {"paragraph": False}}},
        },
        {
            "title": _text(TEXTS["description"], locale),
            "questionItem": {"question": {"required": False, "textQuestion": {"paragraph": True}}},
        },
    ]
    fields: dict[str, dict] = {}
    active = [asset for asset in assets if asset.status != "retired"]
    for field in policy.capture_format:
        item, mapping = _question(field, active, locale)
        items.append(item)
        fields[item["title"]] = mapping
    mapping = {
        "policy": policy.id,
        "type": str(policy.type),
        "title_item": items[0]["title"],
        "description_item": items[1]["title"],
        "evidence_item": _text(TEXTS["evidence"], locale),
        "fields": fields,
    }
    return info, items, mapping


def sync_form(service, policy: SlaPolicy, assets: list[Asset], locale: str, form_id: str | None):
    """Create the form, or replace an existing form's questions; returns (form id, mapping)."""
    info, items, mapping = form_plan(policy, assets, locale)
    forms = service.forms()
    if form_id is None:
        created = forms.create(body={"info": {"title": info["title"]}}).execute()
        form_id = created["formId"]
        existing = 0
    else:
        current = forms.get(formId=form_id).execute()
        existing = len(current.get("items", []))
    requests: list[dict] = [
        {"updateFormInfo": {"info": info, "updateMask": "title,description"}},
        {
            "updateSettings": {
                "settings": {"emailCollectionType": "VERIFIED"},
                "updateMask": "emailCollectionType",
            }
        },
    ]
    # Questions are replaced, not patched: deleting from the end keeps the indexes valid.
    requests += [{"deleteItem": {"location": {"index": i}}} for i in reversed(range(existing))]
    requests += [
        {"createItem": {"item": item, "location": {"index": index}}}
        for index, item in enumerate(items)
    ]
    forms.batchUpdate(formId=form_id, body={"requests": requests}).execute()
    return form_id, mapping


def _service(credentials_file: str | None):
    import google.auth
    from google.oauth2 import service_account
    from googleapiclient.discovery import build

    if credentials_file:
        credentials = service_account.Credentials.from_service_account_file(
            credentials_file, scopes=SCOPES
        )
    else:
        credentials, _ = google.auth.default(scopes=SCOPES)
    return build("forms", "v1", credentials=credentials, static_discovery=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", type=Path, required=True, help="the organisation's YAML file")
    parser.add_argument("--policy", required=True)
    parser.add_argument("--form-id")
    parser.add_argument("--locale", default="pt-BR", choices=["pt-BR", "es", "en"])
    parser.add_argument("--mapping", type=Path, default=Path("form-mapping.json"))
    parser.add_argument("--credentials", help="a service account key file (else ADC)")
    args = parser.parse_args(argv)
    organisation = read_organisation(args.org)
    policy = next((p for p in organisation.policies if p.id == args.policy), None)
    if policy is None:
        print(f"no policy {args.policy!r} in {args.org}", file=sys.stderr)
        return 2
    form_id, mapping = sync_form(
        _service(args.credentials), policy, organisation.assets, args.locale, args.form_id
    )
    args.mapping.write_text(json.dumps(mapping, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"form {form_id}: https://docs.google.com/forms/d/{form_id}/edit")
    print(f"mapping written to {args.mapping}: paste it into the script property HELPDESK_MAPPING")
    return 0


if __name__ == "__main__":
    sys.exit(main())
