"""Rasa input channels that keep each bot message's persona/technique metadata.

Rasa imports this package when it loads credentials.yml, in the server process only:
the place to apply the measured speed-ups of bot/rasa_speedups.py.
"""
from bot import rasa_speedups

rasa_speedups.apply()
