"""Writes encoded straight into protocol buffers, for intake's hot path.

The client library builds every value of a document as a proto-plus message, which costs
about ten times as much as filling the underlying protobuf: for the ticket, its first events
and its report rollups, that was most of intake's own time. This module fills the same
`Write` the library would (tests keep the two equal on real tickets and rollups):

- `add_create`: `batch.create(reference, data)` for plain data (strings, numbers, booleans,
  None, datetimes, lists and maps; anything else, such as bytes or references, goes through
  the library's own encoder; a sentinel is refused);
- `add_merge`: `batch.set(reference, data, merge=True)` where the data's sentinels are
  `Increment` and `DELETE_FIELD` only;
- `fill_value`: one value, also used to build document events as Eventarc sends them.
"""

from __future__ import annotations

import datetime
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1 import _helpers, transforms
from google.cloud.firestore_v1.field_path import FieldPath
from google.cloud.firestore_v1.types import document as document_types
from google.cloud.firestore_v1.types import write as write_types

_RawWrite = write_types.Write.pb()
_NANOS_TYPE = _helpers.DatetimeWithNanoseconds
# Server timestamps, array unions and removals, maximums and minimums.
_OTHER_SENTINELS = (transforms.Sentinel, transforms._ValueList, transforms._NumericValue)


def add_create(batch: firestore.WriteBatch, reference: Any, data: dict[str, Any]) -> None:
    """`batch.create(reference, data)`, with the same effect and a fraction of the CPU."""
    batch._document_references[reference._document_path] = reference
    batch._add_write_pbs([write_types.Write.wrap(create_pb(reference._document_path, data))])


def create_pb(document_path: str, data: dict[str, Any]) -> Any:
    write = _RawWrite()
    write.update.name = document_path
    fields = write.update.fields
    for name, value in data.items():
        fill_value(fields[name], value)
    write.current_document.exists = False
    return write


def add_merge(batch: firestore.WriteBatch, reference: Any, data: dict[str, Any]) -> None:
    """`batch.set(reference, data, merge=True)`, with `Increment` and `DELETE_FIELD` only."""
    batch._document_references[reference._document_path] = reference
    batch._add_write_pbs([write_types.Write.wrap(merge_pb(reference._document_path, data))])


def merge_pb(document_path: str, data: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    masked: list[tuple[str, ...]] = []
    increments: list[tuple[tuple[str, ...], Any]] = []
    _split(data, (), values, masked, increments)
    write = _RawWrite()
    write.update.name = document_path
    fields = write.update.fields
    for name, value in values.items():
        fill_value(fields[name], value)
    write.update_mask.SetInParent()
    write.update_mask.field_paths.extend(FieldPath(*path).to_api_repr() for path in sorted(masked))
    for path, amount in sorted(increments, key=lambda item: item[0]):
        transform = write.update_transforms.add()
        transform.field_path = FieldPath(*path).to_api_repr()
        fill_value(transform.increment, amount)
    return write


def _split(
    data: dict[str, Any],
    prefix: tuple[str, ...],
    values: dict[str, Any],
    masked: list[tuple[str, ...]],
    increments: list[tuple[tuple[str, ...], Any]],
) -> None:
    """Plain leaves into `values` (nested) and the mask; increments and deletions apart."""
    for name, value in data.items():
        path = (*prefix, name)
        if isinstance(value, dict) and value:
            _split(value, path, values, masked, increments)
        elif isinstance(value, transforms.Increment):
            increments.append((path, value.value))
        elif value is transforms.DELETE_FIELD:
            masked.append(path)
        elif isinstance(value, _OTHER_SENTINELS):
            raise TypeError(f"{value!r} is not supported by a merge written here")
        else:
            masked.append(path)
            target = values
            for part in prefix:
                target = target.setdefault(part, {})
            target[name] = value


def fill_value(target: Any, value: Any) -> None:
    """Set a Firestore `Value` protobuf (of the client library or of a document event) to a
    Python value, as the client library encodes it."""
    if value is None:
        target.null_value = 0
    elif isinstance(value, bool):
        target.boolean_value = value
    elif isinstance(value, int):
        target.integer_value = value
    elif isinstance(value, float):
        target.double_value = value
    elif isinstance(value, str):
        target.string_value = value
    elif type(value) is bytes:
        target.bytes_value = value
    elif isinstance(value, _NANOS_TYPE):  # as read from Firestore
        target.timestamp_value.CopyFrom(value.timestamp_pb())
    elif isinstance(value, datetime.datetime):
        target.timestamp_value.FromDatetime(value)
    elif isinstance(value, dict):
        target.map_value.SetInParent()
        fields = target.map_value.fields
        for name, item in value.items():
            if not isinstance(name, str):
                raise TypeError(f"map keys must be strings, not {type(name).__name__}")
            fill_value(fields[name], item)
    elif isinstance(value, list | tuple | set | frozenset):
        target.array_value.SetInParent()
        values = target.array_value.values
        for item in value:
            fill_value(values.add(), item)
    elif isinstance(value, _OTHER_SENTINELS):
        raise TypeError(f"{value!r} cannot be written by a create-only write")
    else:
        target.CopyFrom(document_types.Value.pb(_helpers.encode_value(value)))
