"""`python -m bot.rasa_server <rasa arguments>`: the Rasa command line (`run`, `shell`, ...)
with the measured speed-ups of bot/rasa_speedups.py applied first. The one place they are
applied: `make run` (bot/run.py), `python -m bot.serve rasa`, the containers, the e2e tests
and the bench start the Rasa server through it. The speed-ups are written against Rasa
3.6.x; on another version they are refused with a warning and Rasa runs as it is.

They change how much work Rasa does, never a reply: plain `rasa run`, `rasa shell` and
`rasa test` behave the same without them (how a session begins is our own
`action_session_start`, on the action server, in every case).
"""
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> None:
    from bot import rasa_speedups

    rasa_speedups.apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
