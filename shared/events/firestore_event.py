"""Firestore document CloudEvents: the protobuf `DocumentEventData` Eventarc sends, both ways.

Decoding serves the notification function; encoding serves the local bridge (there is no
Eventarc on a laptop) and the tests, which thus build the payload exactly as Eventarc does.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from google.events.cloud.firestore import DocumentEventData

from shared.repositories.encoding import fill_value

CREATED = "google.cloud.firestore.document.v1.created"


def decode_document(data: bytes) -> tuple[str, dict[str, Any]]:
    """The created document's path (relative to the database) and its fields."""
    payload = DocumentEventData.pb(DocumentEventData())
    payload.ParseFromString(data)
    name = payload.value.name
    path = name.split("/documents/", 1)[1] if "/documents/" in name else name
    return path, {key: _decode(value) for key, value in payload.value.fields.items()}


def _decode(value: Any) -> Any:
    kind = value.WhichOneof("value_type")
    match kind:
        case "null_value" | None:
            return None
        case "boolean_value" | "integer_value" | "double_value" | "string_value" | "bytes_value":
            return getattr(value, kind)
        case "reference_value":
            return value.reference_value
        case "timestamp_value":
            return value.timestamp_value.ToDatetime(tzinfo=UTC)
        case "geo_point_value":
            return {
                "latitude": value.geo_point_value.latitude,
                "longitude": value.geo_point_value.longitude,
            }
        case "array_value":
            return [_decode(item) for item in value.array_value.values]
        case "map_value":
            return {key: _decode(item) for key, item in value.map_value.fields.items()}
    raise ValueError(f"unsupported Firestore value {kind}")


def encode_document(project: str, path: str, fields: dict[str, Any], created: datetime) -> bytes:
    payload = DocumentEventData.pb(DocumentEventData())
    document = payload.value
    document.name = f"projects/{project}/databases/(default)/documents/{path}"
    for key, item in fields.items():
        fill_value(document.fields[key], item)
    document.create_time.FromDatetime(created)
    document.update_time.FromDatetime(created)
    return payload.SerializeToString()


def event_attributes(project: str, path: str, event_type: str = CREATED) -> dict[str, str]:
    """The CloudEvent attributes Eventarc sets for a Firestore document event."""
    return {
        "specversion": "1.0",
        "type": event_type,
        "source": f"//firestore.googleapis.com/projects/{project}/databases/(default)",
        "subject": f"documents/{path}",
        "id": str(uuid.uuid4()),
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/protobuf",
        "project": project,
        "database": "(default)",
        "namespace": "(default)",
        "document": path,
        "location": "southamerica-east1",
    }
