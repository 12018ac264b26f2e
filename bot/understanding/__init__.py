"""Understanding: one reading of each message (see README "Understanding").

``read(text, bot_asked=None) -> Reading`` is pure and Rasa-free; the NLU component
bot.understanding.component.ReadingComponent puts ``reading`` (Reading.as_dict()) into the
parse data, so actions and policies read ``tracker.latest_message["reading"]``.
"""
from bot.understanding.details import extract_details, feeling_words_in
from bot.understanding.reader import read
from bot.understanding.reading import ACTS, CONTROLS, Reading

__all__ = ["read", "Reading", "ACTS", "CONTROLS", "extract_details", "feeling_words_in"]
