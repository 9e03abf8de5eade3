"""The Pub/Sub emulator's REST API (topics, subscriptions, publish, pull), and the CloudEvent
Eventarc makes of a pushed message, for `make dev`, the tests and the benchmark."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime

import requests
from cloudevents.http import CloudEvent

PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"


class PubSubEmulator:
    def __init__(self, host: str, project: str) -> None:
        self.base = f"http://{host}/v1/projects/{project}"
        self.project = project

    def topic(self, name: str) -> str:
        answer = requests.put(f"{self.base}/topics/{name}", json={}, timeout=10)
        if answer.status_code not in (200, 409):
            answer.raise_for_status()
        return f"projects/{self.project}/topics/{name}"

    def subscription(self, name: str, topic: str, push_endpoint: str | None = None) -> str:
        body: dict = {"topic": f"projects/{self.project}/topics/{topic}", "ackDeadlineSeconds": 60}
        if push_endpoint:
            body["pushConfig"] = {"pushEndpoint": push_endpoint}
        answer = requests.put(f"{self.base}/subscriptions/{name}", json=body, timeout=10)
        if answer.status_code not in (200, 409):
            answer.raise_for_status()
        return f"projects/{self.project}/subscriptions/{name}"

    def publish(self, topic: str, payload: dict) -> str:
        data = base64.b64encode(json.dumps(payload).encode()).decode()
        answer = requests.post(
            f"{self.base}/topics/{topic}:publish", json={"messages": [{"data": data}]}, timeout=10
        )
        answer.raise_for_status()
        return answer.json()["messageIds"][0]

    def pull(self, subscription: str, most: int = 100) -> list[dict]:
        """Pull and acknowledge: the push bodies of what was waiting."""
        answer = requests.post(
            f"{self.base}/subscriptions/{subscription}:pull",
            json={"maxMessages": most, "returnImmediately": True},
            timeout=10,
        )
        answer.raise_for_status()
        received = answer.json().get("receivedMessages", [])
        if received:
            requests.post(
                f"{self.base}/subscriptions/{subscription}:acknowledge",
                json={"ackIds": [r["ackId"] for r in received]},
                timeout=10,
            ).raise_for_status()
        name = f"projects/{self.project}/subscriptions/{subscription}"
        return [{"message": r["message"], "subscription": name} for r in received]


def to_cloud_event(project: str, topic: str, pushed: dict) -> CloudEvent:
    """What Eventarc delivers for a message pushed from a topic."""
    message = pushed["message"]
    return CloudEvent(
        {
            "id": message.get("messageId") or message.get("message_id") or uuid.uuid4().hex,
            "source": f"//pubsub.googleapis.com/projects/{project}/topics/{topic}",
            "type": PUBLISHED,
            "specversion": "1.0",
            "datacontenttype": "application/json",
            "time": message.get("publishTime") or datetime.now(UTC).isoformat(),
        },
        pushed,
    )
