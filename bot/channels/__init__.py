"""Rasa input channels that keep each bot message's persona/technique metadata.

Importing this package changes nothing in Rasa: the speed-ups are applied by the server's
entry point (bot/rasa_server.py), and a session begins with our `action_session_start`.
"""
