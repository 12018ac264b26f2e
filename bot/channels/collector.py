"""An output channel that collects bot messages with their metadata (stock Rasa drops it)."""
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel

# Keys of a bot message that are for the channel only, never sent to the person.
CHANNEL_SIGNALS = ("erase_history",)


def to_wire(recipient_id: Optional[Text], message: Dict[Text, Any]) -> Dict[Text, Any]:
    """The JSON a client receives for one bot message."""
    metadata = dict(message.get("metadata") or {})
    out: Dict[Text, Any] = {"recipient_id": recipient_id, "text": message.get("text") or ""}
    for key in ("buttons", "image", "custom", "attachment"):
        if message.get(key):
            out[key] = message[key]
    out["metadata"] = {k: v for k, v in metadata.items() if k not in CHANNEL_SIGNALS}
    return out


class MetadataCollectingOutputChannel(CollectingOutputChannel):
    """Collects whole messages; `signals` keeps channel-only flags raised by actions."""

    def __init__(self) -> None:
        super().__init__()
        self.signals: Dict[Text, Any] = {}

    @classmethod
    def name(cls) -> Text:
        return "collector"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        metadata = message.get("metadata") or {}
        for key in CHANNEL_SIGNALS:
            if metadata.get(key):
                self.signals[key] = metadata[key]
        if not (message.get("text") or message.get("buttons") or message.get("custom")
                or message.get("image") or message.get("attachment")):
            return
        self.messages.append(to_wire(recipient_id, message))

    def prepend(self, messages: List[Dict[Text, Any]]) -> None:
        self.messages[:0] = messages
