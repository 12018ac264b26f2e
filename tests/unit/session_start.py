"""Runs our `action_session_start` (actions/sessions.py) the way a Rasa server does:
Rasa's RemoteAction builds the request (as JSON), rasa_sdk's executor answers it in place
of the HTTP call, and Rasa reads the events back; they are applied to the tracker.
`speedups=True` applies bot/rasa_speedups.py first, as the server's entry point does."""
import asyncio
import json

from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import ActionExecutor

from actions.sessions import ActionSessionStart


class InProcessActionServer(EndpointConfig):
    """The action server's webhook, answered in this process."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:1/webhook")
        self.executor = ActionExecutor()
        self.executor.register_action(ActionSessionStart)

    async def request(self, method="post", subpath=None, content_type="application/json", **kwargs):
        body = json.loads(json.dumps(kwargs["json"]))
        answer = json.loads(json.dumps(await self.executor.run(body)))
        assert answer["responses"] == []  # a session starts silently
        return answer


def start_new_session(tracker, domain, metadata=None, speedups=False):
    """The events that start a new session of `tracker` (applied to it), as a Rasa server
    gets them back from the action server. `metadata`: the new message's, which Rasa puts
    in the session_started_metadata slot before it calls the action."""
    from rasa.shared.core.events import SlotSet

    if speedups:
        from bot import rasa_speedups

        assert rasa_speedups.apply()
    if metadata:
        tracker.update(SlotSet("session_started_metadata", metadata), domain)
    action = RemoteAction("action_session_start", InProcessActionServer())
    events = asyncio.run(action.run(None, None, tracker, domain))
    for event in events:
        tracker.update(event, domain)
    return events
