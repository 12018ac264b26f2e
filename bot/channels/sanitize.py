"""Makes any incoming text safe to hand to NLU without losing the person's meaning."""
import os
import unicodedata
from dataclasses import dataclass

# Long enough for a real message, short enough that NLU stays fast on a flood of 20 000
# character inputs. Override with COACH_MAX_MESSAGE_CHARS.
MAX_NLU_CHARS = int(os.environ.get("COACH_MAX_MESSAGE_CHARS", "2000"))
_KEEP_CONTROLS = {"\n", "\t"}
# A crisis sentence may sit after the NLU cut-off; the safety check reads this much.
MAX_SAFETY_CHARS = 50_000



@dataclass
class CleanText:
    text: str
    truncated: bool
    original_length: int
    # The whole cleaned message when `text` was cut: the safety check reads all of it.
    full_text: str = ""

    @property
    def empty(self) -> bool:
        return not self.text.strip()


# Dropped: control characters (NUL included; newline and tab kept) and lone surrogates.
# Everything else stays, unassigned code points (Cn) included: Python 3.10's Unicode 13
# tables call every newer emoji (U+1FAE0 "melting face", U+1F979...) unassigned.
_DROP = ("Cc", "Cs")


def clean(raw: object) -> CleanText:
    """NFC-normalise, drop control and surrogate characters, truncate at a word boundary."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    original_length = len(text)
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        ch for ch in text
        if ch in _KEEP_CONTROLS or unicodedata.category(ch) not in _DROP
    )
    text = text.strip()
    truncated = len(text) > MAX_NLU_CHARS
    full_text = text[:MAX_SAFETY_CHARS] if truncated else ""
    if truncated:
        cut = text[:MAX_NLU_CHARS]
        space = cut.rfind(" ")
        text = cut[:space] if space > MAX_NLU_CHARS * 0.8 else cut
    return CleanText(text=text, truncated=truncated, original_length=original_length,
                     full_text=full_text)
