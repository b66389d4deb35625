"""The OAI-PMH 2.0 protocol: which arguments each verb takes, its errors, dates, and resumption tokens.

Nothing here touches the database; records.py answers the questions, views.py writes the replies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.http import QueryDict

VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
# Verbs whose lists come in pages, resumed with a token (which then is the only argument besides the verb).
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}
TOKEN_SALT = "resources.oai.resumption"
# The syntax OAI-PMH's schema gives these arguments; a reply must be able to repeat them in <request>.
SYNTAX = {
    "metadataPrefix": re.compile(r"[A-Za-z0-9\-_.!~*'()]+"),
    "set": re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*"),
}
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class OAIError(Exception):
    """One of the protocol's error conditions, answered as <error code="..."> with HTTP 200."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def echoes_arguments(self) -> bool:
        # The reply to a bad verb or bad arguments must not repeat them in <request>.
        return self.code not in {"badVerb", "badArgument"}


@dataclass(frozen=True)
class Request:
    """A request whose verb and arguments are legal (not yet whether the records or formats exist)."""

    verb: str
    arguments: dict[str, str]

    @property
    def token(self) -> str:
        return self.arguments.get("resumptionToken", "")


@dataclass(frozen=True)
class Selection:
    """What a list asks for: format, set and dates (from inclusive, until exclusive, both in UTC)."""

    metadata_prefix: str = ""
    set_spec: str = ""
    after: datetime | None = None
    before: datetime | None = None


@dataclass(frozen=True)
class Resumption:
    """Where a list stopped: the original selection and the last (datestamp, id) or position sent."""

    selection: Selection
    last_datestamp: datetime | None = None
    last_id: int = 0
    cursor: int = 0
    complete_size: int = 0
    last_spec: str = ""  # ListSets: the last set sent


def parse(query: QueryDict) -> Request:
    """The verb and arguments of a GET query or POST form, or the OAIError a harvester must be told."""
    verbs = query.getlist("verb")
    if len(verbs) != 1:
        raise OAIError("badVerb", "Give the verb argument exactly once." if verbs else "The verb argument is missing.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"{clean(verb)!r} is not an OAI-PMH verb.")
    repeated = sorted(key for key in query if len(query.getlist(key)) > 1)
    if repeated:
        raise OAIError("badArgument", f"Arguments may not be repeated: {', '.join(map(clean, repeated))}.")
    arguments = {key: str(query[key]) for key in query if key != "verb"}
    required, optional = VERBS[verb]
    if verb in RESUMABLE and "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument: give it alone with the verb.")
        return Request(verb, arguments)
    unknown = sorted(set(arguments) - required - optional)
    if unknown:
        raise OAIError("badArgument", f"{verb} does not take {', '.join(map(clean, unknown))}.")
    missing = sorted(required - set(arguments))
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(missing)}.")
    for name, pattern in SYNTAX.items():
        if name in arguments and not pattern.fullmatch(arguments[name]):
            raise OAIError("badArgument", f"{clean(arguments[name])!r} is not a {name} (letters, digits, -_.!~*'()).")
    return Request(verb, arguments)


def selection(arguments: dict[str, str]) -> Selection:
    """The list a ListIdentifiers or ListRecords request asks for; badArgument for dates it cannot be."""
    after = before = None
    granularities = set()
    if "from" in arguments:
        after, granularity = _parse_date("from", arguments["from"])
        granularities.add(granularity)
    if "until" in arguments:
        start, granularity = _parse_date("until", arguments["until"])
        granularities.add(granularity)
        before = start + (timedelta(days=1) if granularity == "day" else timedelta(seconds=1))
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if after and before and after >= before:
        raise OAIError("badArgument", "from must not be later than until.")
    return Selection(
        metadata_prefix=arguments["metadataPrefix"], set_spec=arguments.get("set", ""), after=after, before=before
    )


def _parse_date(name: str, value: str) -> tuple[datetime, str]:
    try:
        if DAY.fullmatch(value):
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC), "day"
        if SECOND.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), "second"
    except ValueError:
        pass
    raise OAIError("badArgument", f"{name} must be a UTC date (YYYY-MM-DD) or time (YYYY-MM-DDThh:mm:ssZ).")


def datestamp(moment: datetime) -> str:
    """A moment at the repository's granularity, seconds in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def token_lifetime() -> timedelta:
    return timedelta(hours=settings.OAI_TOKEN_HOURS)


def sign(verb: str, resumption: Resumption) -> str:
    """A resumption token: the selection and the position, signed so that it cannot be forged or altered."""
    chosen = resumption.selection
    payload = {
        "v": verb,
        "m": chosen.metadata_prefix,
        "s": chosen.set_spec,
        "f": chosen.after.isoformat() if chosen.after else None,
        "u": chosen.before.isoformat() if chosen.before else None,
        "d": resumption.last_datestamp.isoformat() if resumption.last_datestamp else None,
        "i": resumption.last_id,
        "c": resumption.cursor,
        "n": resumption.complete_size,
        "l": resumption.last_spec,
    }
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(payload, compress=True)


def unsign(verb: str, token: str) -> Resumption:
    """The position a token names; badResumptionToken if it is forged, expired or for another verb."""
    try:
        payload = signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(token, max_age=token_lifetime())
    except signing.SignatureExpired:
        raise OAIError("badResumptionToken", "The resumption token has expired; start the list again.") from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise OAIError("badResumptionToken", "The resumption token is not one this repository issued.") from None
    try:
        if payload["v"] != verb:
            raise ValueError(verb)

        def moment(value: str | None) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        return Resumption(
            selection=Selection(
                metadata_prefix=str(payload["m"]),
                set_spec=str(payload["s"]),
                after=moment(payload["f"]),
                before=moment(payload["u"]),
            ),
            last_datestamp=moment(payload["d"]),
            last_id=int(payload["i"]),
            cursor=int(payload["c"]),
            complete_size=int(payload["n"]),
            last_spec=str(payload["l"]),
        )
    except (KeyError, TypeError, ValueError):
        raise OAIError("badResumptionToken", f"The resumption token is not for {verb}.") from None


# XML 1.0 allows tab, newline, carriage return and these ranges; anything else cannot be written at all.
FORBIDDEN_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """Text with the characters XML 1.0 forbids removed (control characters, lone surrogates)."""
    return FORBIDDEN_IN_XML.sub("", text)
