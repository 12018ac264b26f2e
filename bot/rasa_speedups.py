"""Measured speed-ups to Rasa 3.6 in our Rasa server (see docs/performance.md).

- Rasa re-checks the JSON schema of every action server answer with
  `jsonschema.validate`, which rebuilds and re-validates the schema itself on each call
  (~20 ms here). We validate against one prebuilt validator: same schema, same errors.
- Our actions state slot values explicitly, so about half of their SlotSet events repeat
  the current value. Every stored event is reloaded, replayed and sent to the action
  server on each later turn, so we drop those no-op events before Rasa records them.
  `expecting` and `offer` are kept: their events mark what the bot's last turn asked
  (bot/policies/override_policy.py reads the events, not only the value); so are all
  events of form validation actions, which the form reads to see what was answered.
- Rasa sends the action server every event of the session on every call, so a call costs
  more the longer the conversation. Our actions read back at most the person's last
  ACTION_SERVER_USER_TURNS messages (actions/common.py); slots, the latest message and the
  active loop travel in their own fields. We send the events from that many user messages
  back, and nothing older.
- Once the model is loaded, the server holds ~800 MB of objects that live until it stops
  (TensorFlow, spaCy, the domain). Python's full garbage collections walk all of them:
  ~230 ms every 14 turns or so, most of our p95. `gc.freeze()` after loading moves them to
  the permanent generation, which collections skip (they then take ~25 ms).

None of them changes a reply or a decision: the policies read slot values, and of the
slot events only `expecting` and `offer` (kept); the actions read back only the last
ACTION_SERVER_USER_TURNS messages (sent). How a session begins is not patched: it is our
`action_session_start` (actions/sessions.py).

Applied once, by the Rasa server's entry point `python -m bot.rasa_server` (bot/run.py
starts the server with it; so do `python -m bot.serve rasa`, the e2e tests and the bench),
and only on Rasa 3.6.x, the version they are written against: on any other version they
are left out with a warning, and the bot behaves the same, only slower. Plain `rasa run`,
`rasa shell` and `rasa test` run without them, with the same behaviour.
"""
import sys
from typing import AbstractSet, Any, Dict, List, Optional

from bot.dialogue import TURN_SCOPED_SLOTS

# The turn-scoped slots (bot/dialogue.py): their events say which turn set them.
MEANINGFUL_SLOT_EVENTS = frozenset({*TURN_SCOPED_SLOTS, "requested_slot"})
# How far back the action server sees events: actions/common.py reads no further.
ACTION_SERVER_USER_TURNS = 10
# The Rasa internals patched here are those of 3.6 (pyproject.toml pins rasa 3.6.21).
SUPPORTED_RASA = "3.6."
_applied = False


def use_prebuilt_validator() -> None:
    from jsonschema import ValidationError, validators
    from rasa.core.actions.action import RemoteAction

    spec = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(spec)
    validator_class.check_schema(spec)
    validator = validator_class(spec)

    def _validate_action_result(self: Any, result: Dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError as error:
            error.message += ". Failed to validate Action server response from API."
            raise
        return True

    RemoteAction._validate_action_result = _validate_action_result


def without_repeated_slot_events(events: List[Any], tracker: Any,
                                 keep: AbstractSet[str] = MEANINGFUL_SLOT_EVENTS) -> List[Any]:
    """The events minus SlotSets that repeat the slot's value (slots in `keep` stay). After
    an event that resets the slots (a new session, a restart) a value repeats only its
    slot's initial value: the SlotSets that carry slots into a new session stay."""
    from rasa.shared.core.events import AllSlotsReset, Restarted, SessionStarted, SlotSet

    values: Dict[str, Any] = {}
    kept = []
    for event in events:
        if isinstance(event, (SessionStarted, Restarted, AllSlotsReset)):
            values = {key: slot.initial_value for key, slot in tracker.slots.items()}
        if isinstance(event, SlotSet) and event.key in tracker.slots and event.key not in keep:
            before = values.get(event.key, tracker.get_slot(event.key))
            values[event.key] = event.value
            if before == event.value:
                continue
        kept.append(event)
    return kept


def drop_repeated_slot_events(include_form_validation: bool = False,
                              keep: AbstractSet[str] = MEANINGFUL_SLOT_EVENTS) -> None:
    """Wraps Rasa's custom-action call; form validation events pass untouched by default."""
    from rasa.core.actions.action import RemoteAction

    original_run = RemoteAction.run

    async def run(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
        events = await original_run(self, output_channel, nlg, tracker, domain)
        if self.name().startswith("validate_") and not include_form_validation:
            return events  # a form reads its validation events to decide what was answered
        return without_repeated_slot_events(events, tracker, keep)

    RemoteAction.run = run


def recent_events(events: Any, user_turns: int = ACTION_SERVER_USER_TURNS) -> List[Any]:
    """The events from the `user_turns`-th last user message on (all, if there are fewer)."""
    from rasa.shared.core.events import UserUttered

    recent, seen = [], 0
    for event in reversed(events):
        recent.append(event)
        if isinstance(event, UserUttered):
            seen += 1
            if seen == user_turns:
                break
    recent.reverse()
    return recent


class _RecentEventsView:
    """What RemoteAction._action_call_format reads of a tracker, with fewer events."""

    def __init__(self, tracker: Any, user_turns: int) -> None:
        self._tracker = tracker
        self._user_turns = user_turns
        self.sender_id = tracker.sender_id

    def current_state(self, event_verbosity: Any = None) -> Dict[str, Any]:
        from rasa.shared.core.trackers import EventVerbosity

        state = self._tracker.current_state(EventVerbosity.NONE)
        events = recent_events(self._tracker.events, self._user_turns)
        state["events"] = [event.as_dict() for event in events]
        return state


def send_recent_events_only(user_turns: int = ACTION_SERVER_USER_TURNS) -> None:
    """Rasa builds the action server's request body as before (domain included or not),
    from a view of the tracker that lists only the recent events."""
    from rasa.core.actions.action import RemoteAction

    original = RemoteAction._action_call_format

    def _action_call_format(self: Any, tracker: Any, domain: Any) -> Dict[str, Any]:
        return original(self, _RecentEventsView(tracker, user_turns), domain)

    RemoteAction._action_call_format = _action_call_format


def freeze_heap_after_model_load() -> None:
    """Wraps the agent loader that `rasa run` calls once the server starts (and again
    when a new model is loaded over the HTTP API)."""
    import gc

    from rasa.core import agent

    original = agent.load_agent

    async def load_agent(*args: Any, **kwargs: Any) -> Any:
        loaded = await original(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return loaded

    agent.load_agent = load_agent


def rasa_version() -> str:
    import rasa

    return rasa.__version__


def supported(version: Optional[str] = None) -> bool:
    """Whether these patches were written for this Rasa version (3.6.x)."""
    return (rasa_version() if version is None else version).startswith(SUPPORTED_RASA)


def apply() -> bool:
    """Applies the speed-ups once; returns whether they are on. On a Rasa other than 3.6.x
    they are refused, with a warning on stderr: Rasa then runs as it is."""
    global _applied
    if _applied:
        return True
    version = rasa_version()
    if not supported(version):
        print(f"warning: bot/rasa_speedups.py is written for Rasa {SUPPORTED_RASA}x and this is Rasa "
              f"{version}: its speed-ups are NOT applied (same behaviour, slower turns; see "
              "docs/performance.md).", file=sys.stderr, flush=True)
        return False
    use_prebuilt_validator()
    drop_repeated_slot_events()
    send_recent_events_only()
    freeze_heap_after_model_load()
    _applied = True
    return True
