"""Browser tests drive the web chat page of the same servers the e2e tests use."""
from tests.e2e.conftest import bot, sender, own_bot  # noqa

__all__ = ["bot", "sender", "own_bot"]  # fixtures re-exported (and so used, for pyflakes)
