"""`make chat`: a terminal chat with the running bot over its REST webhook.

Each reply is labelled with who speaks and the technique; offered choices are numbered
and can be picked by typing their number. Ctrl-D or /quit leaves.
"""
import os
import sys
import uuid
from typing import Dict, List

import requests

URL = os.environ.get("COACH_URL", f"http://127.0.0.1:{os.environ.get('COACH_PORT', '5005')}")
LABELS = {"coach": "Coach", "mentor": "Mentor", "host": "Host"}


def webhook_secret() -> str:
    """COACH_WEBHOOK_SECRET, else the one `make run` created in the var directory."""
    from bot.paths import VAR_DIR

    given = os.environ.get("COACH_WEBHOOK_SECRET", "").strip()
    if given:
        return given
    try:
        return (VAR_DIR / "webhook-secret").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def send(sender: str, text: str) -> List[Dict]:
    headers = {}
    secret = webhook_secret()
    if secret:
        headers["X-Coach-Secret"] = secret
    response = requests.post(f"{URL}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             headers=headers, timeout=60)
    response.raise_for_status()
    return response.json()


def show(messages: List[Dict]) -> List[Dict]:
    buttons: List[Dict] = []
    for message in messages:
        metadata = message.get("metadata") or {}
        label = LABELS.get(metadata.get("persona"), "Bot")
        print(f"\n{label} ({metadata.get('technique', '-')}):\n  " + message.get("text", "").replace("\n", "\n  "))
        for button in message.get("buttons") or []:
            buttons.append(button)
            print(f"  [{len(buttons)}] {button['title']}")
    return buttons


def main() -> int:
    sender = os.environ.get("COACH_SENDER") or f"terminal-{uuid.uuid4().hex[:8]}"
    print(f"Chatting with {URL} as '{sender}'. Type /quit or press Ctrl-D to leave.")
    buttons: List[Dict] = []
    while True:
        try:
            text = input("\nYou: ").strip()
        except EOFError:
            print()
            return 0
        if text == "/quit":
            return 0
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            buttons = show(send(sender, text))
        except requests.RequestException as error:
            print(f"(cannot reach the bot at {URL}: {error}. Is `make run` going?)")


if __name__ == "__main__":
    sys.exit(main())
