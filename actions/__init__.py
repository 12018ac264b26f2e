"""Rasa custom actions: thin wrappers that read the tracker, call a persona engine or the
store (both in bot/), and dispatch tagged messages."""
