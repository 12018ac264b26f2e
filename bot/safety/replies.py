"""Every message the host sends about safety, built from data/content/safety.yml, with the
helplines of where the person is (their time zone or locale), or international ones."""
from typing import Dict, List, Optional, Sequence

from bot.content import load
from bot.reply import Reply, button

PERSONA = "host"
TECHNIQUE = "safety"
# Time-zone prefixes and names that settle the region; anything else in Europe is "eu".
_ZONES = {
    "uk_ie": ("Europe/London", "Europe/Belfast", "Europe/Guernsey", "Europe/Jersey",
              "Europe/Isle_of_Man", "GB"),
    "ie": ("Europe/Dublin", "Eire"),
    "es": ("Europe/Madrid", "Atlantic/Canary", "Africa/Ceuta"),
    "fr": ("Europe/Paris",),
    "de": ("Europe/Berlin", "Europe/Busingen"),
    "it": ("Europe/Rome",),
    "pt": ("Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores"),
    "br": ("America/Sao_Paulo", "America/Bahia", "America/Fortaleza", "America/Recife",
           "America/Manaus", "America/Belem", "America/Maceio", "America/Cuiaba",
           "America/Campo_Grande", "America/Porto_Velho", "America/Boa_Vista",
           "America/Araguaina", "America/Santarem", "America/Rio_Branco", "America/Noronha",
           "Brazil/"),
    "ca": ("America/Toronto", "America/Vancouver", "America/Montreal", "America/Edmonton",
           "America/Winnipeg", "America/Halifax", "America/St_Johns", "America/Regina",
           "America/Moncton", "America/Whitehorse", "America/Yellowknife", "America/Iqaluit",
           "Canada/"),
    "us": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
           "America/Phoenix", "America/Anchorage", "America/Detroit", "America/Boise",
           "America/Juneau", "America/Indiana/", "America/Kentucky/", "America/North_Dakota/",
           "America/Adak", "America/Sitka", "America/Nome", "America/Menominee",
           "Pacific/Honolulu", "US/"),
    "au": ("Australia/",),
    "eu": ("Europe/",),
}
_COUNTRIES = {"us": "us", "ca": "ca", "gb": "uk_ie", "uk": "uk_ie", "ie": "ie", "au": "au",
              "es": "es", "fr": "fr", "de": "de", "at": "de", "it": "it", "pt": "pt", "br": "br"}
_EU = {"at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "it",
       "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se", "no", "ch", "is"}


def _prose() -> Dict:
    return load("safety")["replies"]


def region_for(timezone: Optional[str] = None, locale: Optional[str] = None) -> str:
    """us, ca, uk_ie, au, eu or international, from an IANA time zone or a locale (en-GB)."""
    for region, names in _ZONES.items():
        if timezone and any(timezone == n or (n.endswith("/") and timezone.startswith(n))
                            for n in names):
            return region
    country = (locale or "").replace("_", "-").split("-")[-1].lower() if locale and "-" in locale.replace("_", "-") else ""
    if country in _COUNTRIES:
        return _COUNTRIES[country]
    if country in _EU:
        return "eu"
    return "international"


def host_reply(text: str, buttons: Optional[List[Dict[str, str]]] = None) -> Reply:
    return Reply(" ".join(text.split()), PERSONA, TECHNIQUE, buttons or [])


def _region(region: str) -> Dict:
    regions = _prose()["regions"]
    return regions.get(region) or regions["international"]


def _lines(intro: str, lines: Sequence[str]) -> Reply:
    return Reply("\n".join([intro] + [f"- {line}" for line in lines]), PERSONA, TECHNIQUE, [])


def helplines(categories: Sequence[str] = (), region: str = "international") -> List[Reply]:
    """Crisis lines, and abuse lines first when abuse is what the person described."""
    prose, lines = _prose(), _region(region)
    emergency = prose["emergency_line"].format(emergency=lines["emergency"])
    crisis = _lines(prose["helplines_intro"], [*lines["crisis"], emergency])
    if "abuse" in categories:
        abuse = _lines(prose["abuse_intro"], [*lines["abuse"], emergency])
        # Abuse and thoughts of suicide together: both sets of lines.
        return [abuse, crisis] if len(categories) > 1 else [abuse]
    return [crisis]


def ask(key: str = "ask") -> Reply:
    prose = _prose()
    return host_reply(prose[key], [button(title) for title in prose["ask_buttons"]])


def crisis_replies(categories: Sequence[str] = (), region: str = "international") -> List[Reply]:
    """Stop the session, say what the bot is not, give human help, ask if they are safe."""
    category = categories[0] if categories else "active_ideation"
    lead = _prose()["lead"][category].format(emergency=_region(region)["emergency"])
    return [host_reply(lead), *helplines(categories, region), ask("ask")]


def still_at_risk(categories: Sequence[str] = (), region: str = "international") -> List[Reply]:
    """A risky answer to "are you safe?": an ingestion gets the emergency number first."""
    first = _prose()["lead"]["attempt"].format(emergency=_region(region)["emergency"]) \
        if "attempt" in categories else _prose()["still_at_risk"]
    return [host_reply(first), *helplines(categories, region), ask("ask_again")]


def not_safe(region: str = "international") -> List[Reply]:
    return [host_reply(_prose()["not_safe"]), *helplines((), region), ask("ask_again")]


def _short_helpline(region: str) -> str:
    lines = _region(region)
    return f"{lines['crisis'][0].rstrip('.')}; in an emergency, {lines['emergency']}"


def resolved(region: str = "international") -> Reply:
    return host_reply(_prose()["resolved"].format(helpline=_short_helpline(region)))


def concern(likely: bool = False, region: str = "international") -> Reply:
    """The direct question: after low mood, or (`likely`) after a message the risk
    classifier found likely but not sure, which asks about both dangers and gives a line."""
    prose = _prose()
    key = "likely" if likely else "concern"
    text = prose[key].format(helpline=_short_helpline(region)) if likely else prose[key]
    return host_reply(text, [button(title) for title in prose[f"{key}_buttons"]])


def asked_as_likely(bot_text: str) -> bool:
    """Whether the bot's question was the `likely` one (its answer gets its own thanks)."""
    opening = " ".join(_prose()["likely"].split()).split("{helpline}")[0]
    return " ".join((bot_text or "").split()).startswith(opening)


def concern_no(region: str = "international", likely: bool = False) -> Reply:
    prose = _prose()
    key = "likely" if likely else "concern"
    return host_reply(prose[f"{key}_no"].format(helpline=_short_helpline(region)),
                      [button(title) for title in prose[f"{key}_buttons_after"]])
