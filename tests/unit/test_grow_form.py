"""The GROW form's pieces line up: the coach engine's slots are the domain's form, and
every slot has its own ask action, extract and validate method, written out by name."""
import yaml

from actions import grow
from bot.personas import coach


def _domain():
    with open("domain.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_the_engines_grow_slots_are_the_forms_required_slots():
    assert coach.GROW_SLOTS == _domain()["forms"][grow.FORM]["required_slots"]


def test_every_asked_slot_has_its_own_ask_action_in_the_domain():
    asked = {cls().name(): cls for cls in grow.AskGrowSlot.__subclasses__()}
    assert {cls.slot for cls in asked.values()} == set(coach.GROW_SLOTS)
    assert all(name == f"action_ask_{cls.slot}" for name, cls in asked.items())
    names = set(asked) | {grow.ActionAskGrowExplore().name()}
    assert names == {f"action_ask_{slot}" for slot in [*coach.GROW_SLOTS, grow.EXPLORE]}
    assert names <= set(_domain()["actions"])


def test_every_slot_the_form_reads_has_extract_and_validate_methods():
    for slot in [*coach.GROW_SLOTS, grow.EXPLORE]:
        for kind in ("extract", "validate"):
            assert f"{kind}_{slot}" in vars(grow.ValidateGrowForm), f"{kind}_{slot}"
