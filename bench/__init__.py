"""Benchmark of Coach & Mentor against the stock Rasa starter bot (`python -m bench.run`).

Pure parts (stats, report, scenarios) import nothing from Rasa, so they unit-test fast.
"""
