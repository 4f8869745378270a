"""Message bodies per endpoint kind: the signed Hallway envelope or a chat post."""

import json
from typing import Any

from .events import EVENTS, Occurrence


def envelope(*, event: str, event_id: str, occurred_at: str, data: dict) -> dict:
    """The Hallway webhook body: ``{event, id, occurred_at, data}``."""
    return {"event": event, "id": event_id, "occurred_at": occurred_at, "data": data}


def chat_line(*, event: str, occurrence: Occurrence, community: str, language: str):
    """The one-line chat message for ``event``, in ``language`` (else English)."""
    texts = EVENTS[event].chat_text
    text = texts.get(language) or texts["en"]
    return text % {"community": community, "title": occurrence.title}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown_escape(text: str) -> str:
    for char in "\\[]()*_`":
        text = text.replace(char, "\\" + char)
    return text


def render(
    *,
    kind: str,
    event: str,
    event_id: str,
    occurred_at: str,
    occurrence: Occurrence,
    community: str,
    language: str,
) -> bytes:
    """The exact bytes to post to an endpoint of ``kind``."""
    body: dict[str, Any]
    if kind == "hallway":
        body = envelope(
            event=event,
            event_id=event_id,
            occurred_at=occurred_at,
            data=occurrence.data,
        )
    else:
        line = chat_line(
            event=event, occurrence=occurrence, community=community, language=language
        )
        url = occurrence.url
        if kind == "slack":
            body = {"text": _slack_text(line, occurrence.title, url)}
        elif kind == "mattermost":
            body = {"text": _md_link_line(line, occurrence.title, url)}
        elif kind == "teams":
            body = _teams_card(line, occurrence.title, url)
        else:
            body = envelope(
                event=event,
                event_id=event_id,
                occurred_at=occurred_at,
                data=occurrence.data,
            )
            body["text"] = f"{line} {url}"
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _slack_text(line: str, title: str, url: str) -> str:
    head, _sep, tail = line.partition(title)
    return f"{_slack_escape(head)}<{url}|{_slack_escape(title)}>{_slack_escape(tail)}"


def _md_link_line(line: str, title: str, url: str) -> str:
    head, _sep, tail = line.partition(title)
    return f"{_markdown_escape(head)}[{_markdown_escape(title)}]({url}){tail}"


def _teams_card(line: str, title: str, url: str) -> dict:
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [{"type": "TextBlock", "text": line, "wrap": True}],
                    "actions": [
                        {"type": "Action.OpenUrl", "title": title[:80], "url": url}
                    ],
                },
            }
        ],
    }
