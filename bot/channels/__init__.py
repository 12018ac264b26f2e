"""Rasa input channels that keep each bot message's persona/technique metadata.

Rasa imports this package when it loads credentials.yml, in the server process only:
the place to apply the measured speed-ups of bot/rasa_speedups.py and the session
hand-over of bot/sessions.py.
"""
from bot import rasa_speedups, sessions

rasa_speedups.apply()
sessions.apply()
