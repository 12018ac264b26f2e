"""Rasa input channels that keep each bot message's persona/technique metadata."""
