"""Persona engines: coach, mentor and the neutral host, plus the role recommender."""
