"""`python -m bench.probe <rasa arguments>`: runs the `rasa` command line with wall-clock
timers around the phases of a turn, for bench/profile.py. Each timed call appends
"<name>\t<seconds>" to the file named by BENCH_PROBE_FILE (no file: no timers).

BENCH_PROBE_PATCH (comma-separated) tries candidate fixes without touching the project:
  fast_validator  validate action-server answers with one prebuilt jsonschema validator
                  (stock Rasa re-checks the schema itself on every call: ~20 ms each here)
  dedupe_slots    drop SlotSet events from the action server that set a slot to the value
                  it already has (half of our slot events): the conversation that Rasa
                  reloads, replays and sends to the action server on every turn grows slower
"""
import functools
import inspect
import os
import sys
import time
from importlib import import_module

# (module, attribute path, timer name); missing ones are skipped (rasa vs rasa_sdk process).
TIMED = [
    ("bot.channels.turn", "run_turn", "turn.channel_total"),
    ("bot.channels.turn", "_due_checkins", "turn.due_checkins_db"),
    ("rasa.core.processor", "MessageProcessor.handle_message", "turn.processor_total"),
    ("rasa.core.processor", "MessageProcessor.get_tracker", "tracker.load"),
    ("rasa.core.processor", "MessageProcessor.save_tracker", "tracker.save"),
    ("rasa.core.processor", "MessageProcessor.parse_message", "nlu.parse"),
    ("rasa.core.processor", "MessageProcessor._predict_next_with_tracker", "policies.predict"),
    ("rasa.core.processor", "MessageProcessor._run_action", "action.run_any"),
    ("rasa.core.actions.action", "RemoteAction.run", "action.remote"),
    ("rasa.core.actions.action", "RemoteAction._validate_action_result", "action.remote.jsonschema"),
    ("rasa.utils.endpoints", "EndpointConfig.request", "action.remote.http"),
    ("rasa.core.actions.forms", "FormAction.run", "action.form"),
    ("rasa_sdk.executor", "ActionExecutor.run", "actionserver.executor"),
]

_out = None


def _record(name: str, seconds: float) -> None:
    global _out
    if _out is None:
        _out = open(os.environ["BENCH_PROBE_FILE"], "a", buffering=1)
    _out.write(f"{name}\t{seconds:.6f}\n")


def _timed(function, name: str):
    if inspect.iscoroutinefunction(function):
        @functools.wraps(function)
        async def async_wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                _record(name, time.perf_counter() - started)
        return async_wrapper

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _record(name, time.perf_counter() - started)
    return wrapper


def _patch_fast_validator() -> None:
    from bot.rasa_speedups import use_prebuilt_validator

    use_prebuilt_validator()


def _time_graph_nodes() -> None:
    """Each NLU component and policy is a graph node: time them one by one."""
    from rasa.engine.graph import GraphNode

    original = GraphNode.__call__

    def __call__(self, *inputs):
        started = time.perf_counter()
        try:
            return original(self, *inputs)
        finally:
            _record(f"node.{self._node_name}", time.perf_counter() - started)

    GraphNode.__call__ = __call__


def _patch_dedupe_slots() -> None:
    """The stricter experiment: every slot, form validation events included."""
    from bot.rasa_speedups import drop_repeated_slot_events

    drop_repeated_slot_events(include_form_validation=True, keep=frozenset())


def _time_garbage_collection() -> None:
    """Records each collection of the oldest generation: with a large heap these are the
    pauses that show up as periodic slow turns."""
    import gc

    started = {}

    def callback(phase, info):
        if info.get("generation") != 2:
            return
        if phase == "start":
            started["t"] = time.perf_counter()
        elif "t" in started:
            _record("gc.full_collection", time.perf_counter() - started.pop("t"))

    gc.callbacks.append(callback)


def install(patches: str = "", graph_nodes: bool = True) -> None:
    """Applies the patches; times the phases only when BENCH_PROBE_FILE names a file."""
    chosen = set(patches.split(",")) - {""}
    unknown = chosen - {"fast_validator", "dedupe_slots"}
    if unknown:
        raise SystemExit(f"bench.probe: unknown patch {sorted(unknown)}")
    if "fast_validator" in chosen:
        _patch_fast_validator()
    if "dedupe_slots" in chosen:
        _patch_dedupe_slots()
    if not os.environ.get("BENCH_PROBE_FILE"):
        return
    _time_garbage_collection()
    if graph_nodes:
        _time_graph_nodes()
    for module_name, path, name in TIMED:
        try:
            owner = import_module(module_name)
        except ImportError:
            continue
        *parents, attribute = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        original = owner.__dict__.get(attribute) or getattr(owner, attribute)  # may be inherited
        if isinstance(original, staticmethod):
            setattr(owner, attribute, staticmethod(_timed(original.__func__, name)))
        else:
            setattr(owner, attribute, _timed(original, name))


def main() -> None:
    is_action_server = sys.argv[1:3] == ["run", "actions"]
    if os.environ.get("BENCH_PROBE_STOCK"):  # the baseline bot: no project code to time
        TIMED[:] = [t for t in TIMED if not t[0].startswith("bot.")]
    if not is_action_server:
        install(os.environ.get("BENCH_PROBE_PATCH", ""))
    else:
        TIMED[:] = [t for t in TIMED if t[0].startswith("rasa_sdk")]
        install(graph_nodes=False)
    if is_action_server or os.environ.get("BENCH_PROBE_STOCK"):
        from rasa.__main__ import main as rasa_main

        sys.argv = ["rasa"] + sys.argv[1:]
        rasa_main()
    else:  # our Rasa server, started as bot/run.py starts it: with its speed-ups
        from bot.rasa_server import main as rasa_server_main

        rasa_server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
