"""Cloud Tasks: enqueue an HTTP task for the timer function at an instant.

In production the task carries an OIDC token of the queue's service account, which the
timer function verifies (and Cloud Run IAM checks). The emulator sends no token, so locally a
shared secret header stands in for it.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Protocol

from google.api_core import exceptions as google_errors
from google.protobuf import timestamp_pb2

# Cloud Tasks schedules at most 30 days ahead; stay a day short.
HORIZON = timedelta(days=29)
SECRET_HEADER = "X-Helpdesk-Timer-Secret"  # noqa: S105 - a header name, not a secret


class TaskQueue(Protocol):
    def enqueue(self, name: str, body: bytes, at: datetime) -> None: ...


class CloudTasksQueue:
    def __init__(
        self,
        queue_path: str,
        target_url: str,
        *,
        emulator_host: str | None = None,
        invoker: str | None = None,
        secret: str | None = None,
    ) -> None:
        from google.cloud import tasks_v2

        if emulator_host:
            import grpc
            from google.cloud.tasks_v2.services.cloud_tasks.transports import (
                CloudTasksGrpcTransport,
            )

            transport = CloudTasksGrpcTransport(channel=grpc.insecure_channel(emulator_host))
            self._client = tasks_v2.CloudTasksClient(transport=transport)
        else:
            self._client = tasks_v2.CloudTasksClient()
        self._queue, self._url = queue_path, target_url
        self._invoker, self._secret = invoker, secret

    def enqueue(self, name: str, body: bytes, at: datetime) -> None:
        from google.cloud import tasks_v2

        stamp = timestamp_pb2.Timestamp()
        stamp.FromDatetime(at.astimezone(UTC))
        headers = {"Content-Type": "application/json"}
        if self._secret:
            headers[SECRET_HEADER] = self._secret
        request = tasks_v2.HttpRequest(
            http_method=tasks_v2.HttpMethod.POST, url=self._url, headers=headers, body=body
        )
        if self._invoker:
            request.oidc_token = tasks_v2.OidcToken(
                service_account_email=self._invoker, audience=self._url
            )
        task = tasks_v2.Task(
            name=f"{self._queue}/tasks/{name}", schedule_time=stamp, http_request=request
        )
        # Production deduplicates named tasks: AlreadyExists means already scheduled.
        with contextlib.suppress(google_errors.AlreadyExists):
            self._client.create_task(parent=self._queue, task=task)
