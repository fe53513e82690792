"""Read a product-specific rule written in words into criteria (pure).

The UK Online Tariff publishes each agreement's PSR as markdown text with class tags (CTH, MAXNOM, ...). The
tags are coarse and sometimes wrong, so the text is read clause by clause: each recognised clause becomes a
:class:`~clearway.origin.rules.Criterion` and is blanked out; whatever words are left that are not filler
("Manufacture", "provided that", list dashes...) become an ``attested`` criterion with that text, so nothing
in a rule is ever silently dropped — an alternative with an unread clause can only pass on the producer's
attestation. :func:`parse_rule_text` returns the alternatives of one rule text (a text may hold several joined
by a lone "or").

Examples::

    "Manufacture from materials of any heading, except that of the product."  -> CTH
    "Manufacture in which the value of all the materials used does not exceed **50%** of the ex-works price"
                                                                               -> MaxNOM 50% EXW
    "<abbr>CTSH</abbr>: All non-originating materials ... at the 6-digit level (subheading)" -> CTSH
    "Your goods contain a Regional Value Content (RVC) of at least **55%** of the Free on Board (FOB) cost"
                                                                               -> RVC build-down 55% FOB
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from clearway.origin.hs import HsRange
from clearway.origin.processes import process_groups
from clearway.origin.rules import Alternative, Criterion, Limit

NUM = r"(\d+(?:\.\d+)?)"
_LEVEL_WORDS = {"chapter": 2, "chapters": 2, "heading": 4, "headings": 4, "subheading": 6, "subheadings": 6}
_LEVEL_OF_NAME = {"chapter": 2, "heading": 4, "subheading": 6}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}

FILLER = re.compile(
    r"\b(?:manufacture|production|manufactured|produced|in which|provided that|provided|and|or|the|of|"
    r"from|whether|however|also|that|a|an|which|good|goods|product|products|this|is|are|used|only|"
    r"see|note|notes|for|[a-z]\)|\(?[ivx]+\)|all)\b|[-–:;,.()*/§\s\d%]",
    re.I,
)


def normalise(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<abbr[^>]*>([^<]*)</abbr>", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&nbsp;", " ").replace("\u00a0", " ")
    text = re.sub(r"\*\*|\*(and|or)\*|_(and|or)_", lambda m: m.group(1) or m.group(2) or "", text)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------- HS lists

_NUMBER = r"(?:\d{10}|\d{8}|\d{6}|\d{4}\.\d{2}(?:\.\d{2,4})?|\d{1,4})(?![\d])"
_ITEM = re.compile(
    rf"(?P<word>chapters?|headings?|subheadings?)?\s*(?P<a>{_NUMBER})"
    rf"(?:\s*(?:to|through|-)\s*(?:(?:chapters?|headings?|subheadings?)\s+)?(?P<b>{_NUMBER}))?",
    re.I,
)
_SEP = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|as well as)\s*", re.I)


def _code(number: str, level: int | None) -> str:
    d = number.replace(".", "")
    if level is None:
        level = 2 if len(d) <= 2 else 4 if len(d) <= 4 else 6 if len(d) <= 6 else len(d)
    if len(d) < level:
        d = d.zfill(level)
    return d


def parse_hs_list(text: str) -> tuple[tuple[HsRange, ...], int]:
    """Parse 'heading 1701 and 1702, chapter 17 or subheadings 2202.91 to 2202.99' at the start of ``text``.
    Returns the ranges and how many characters were read (0 when the text does not start with a list)."""
    ranges: list[HsRange] = []
    pos = 0
    level: int | None = None
    while True:
        m = _ITEM.match(text, pos)
        if not m or (not m.group("word") and level is None):
            break
        if m.group("word"):
            level = _LEVEL_WORDS[m.group("word").lower()]
        a = _code(m.group("a"), level)
        b = _code(m.group("b"), level) if m.group("b") else a
        ranges.append(HsRange(a, b))
        pos = m.end()
        sep = _SEP.match(text, pos)
        if not sep or not _ITEM.match(text, sep.end()):
            break
        nxt = _ITEM.match(text, sep.end())
        if nxt is None or (not nxt.group("word") and not re.match(r"\d", text[sep.end() : sep.end() + 1])):
            break
        pos = sep.end()
    return tuple(ranges), pos


LIST_BODY = (
    r"(?:chapters?|headings?|subheadings?)\s+\d[\d.]*(?:(?:\s*(?:,|and|or|to|through|-)\s*)+"
    r"(?:(?:chapters?|headings?|subheadings?)\s+)?\d[\d.]*)*"
)
LIST = f"(?P<list>{LIST_BODY})"


def _list(m: re.Match[str], group: str = "list") -> tuple[HsRange, ...]:
    return parse_hs_list(m.group(group))[0]


def _pct(value: str) -> Decimal:
    return Decimal(value)


# ---------------------------------------------------------------------------------------------- clauses


@dataclass
class _Work:
    text: str
    criteria: list[Criterion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    no_ctc: bool = False

    def take(self, m: re.Match[str]) -> None:
        self.text = self.text[: m.start()] + " § " + self.text[m.end() :]

    def last_shift(self) -> Criterion | None:
        for c in reversed(self.criteria):
            if c.kind == "tariff_shift":
                return c
        return None

    def replace(self, old: Criterion, new: Criterion) -> None:
        self.criteria[self.criteria.index(old)] = new


def _sub(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I | re.S)


_EXW = r"(?:the )?(?:value of the )?ex-works price(?: \(EXW\))?(?: of the (?:products?|set|good))?"
_FOB = r"(?:the )?(?:Free on Board|free[- ]on[- ]board|FOB)(?: \(FOB\))? (?:cost|value|price)(?: of the (?:products?|goods?))?"
_BASIS_OR = rf"(?:\s*,?\s*or\s+{NUM}% of {_FOB})?"

P_MODERN_CTC = _sub(
    r"\b(CC|CTH|CTSH)\s*:\s*All non-originating materials used in the production of the good have "
    r"undergone a change in tariff classification at the (\d)-digit level(?: \([^)]*\))?"
)
P_OLD_CTC = _sub(
    r"(?:(?:Manufacture|Production)\s*:?\s*-?\s*)?from (?:non-originating )?materials of any "
    r"(chapter|heading|subheading)"
    r",? except (?:that|those) of the product"
)
P_ANY = _sub(
    r"(?:Manufacture|Production) (?:from|of) (?:non-originating )?materials of any (?:heading|subheading|chapter)"
    r"(?:,? including (?:that of the product|other materials of (?P<incl>" + LIST_BODY + r")))?"
)
P_EXCEPT = _sub(
    r"^\s*,?\s*(?:and\s+)?(?:except(?:ing)?|excluding|other than)\s+(?:from\s+)?(?:those of\s+)?"
    r"(?:non-originating\s+)?(?:materials?\s+)?(?:of\s+|from\s+)?" + LIST
)
P_EXCEPT_DESC = _sub(
    r"^\s*,?\s*(?:and\s+)?(?:except(?:ing)?|excluding)\s+(?:from\s+)?(?:non-originating\s+)?"
    r"(?P<desc>[a-z][a-z ,'()-]{2,160}?)\s+of\s+" + LIST
)
P_ALLOWANCE = _sub(
    r"(?:,\s*)?however,? (?:non-originating )?materials of the same (?:sub)?heading as the product may be used,"
    rf" provided that their total value does not exceed {NUM}% of {_EXW}"
)
P_MAXNOM_MODERN = _sub(
    rf"A maximum of {NUM}% of {_EXW} is made up of non-originating (?:parts|materials)(?: \(MAXNOM\))?"
)
P_MAXNOM_ALL = _sub(
    r"(?:in which )?the (?:total )?value of (?:all )?(?:the )?(?:non-originating )?materials used "
    rf"(?:does not|do not|must not) exceed {NUM}% of {_EXW}{_BASIS_OR}"
)
P_MAXNOM_SCOPED = _sub(
    r"(?:in which )?the (?:total )?value of (?:all )?(?:the )?(?:non-originating )?"
    r"(?:materials|[a-z][a-z ,-]{0,50}?) of " + LIST + r"\s+used (?:does not|do not|must not) exceed "
    rf"{NUM}% of {_EXW}{_BASIS_OR}"
)
P_MAXNOM_GOOD = _sub(
    r"(?:in which )?the (?:total )?value of (?:all )?(?:the )?(?:non-originating )?"
    r"(?:materials|[a-z][a-z ,-]{0,50}?) of " + LIST + r"\s+(?:used )?(?:does not|do not|must not) exceed "
    rf"{NUM}% of the value of the good"
)
P_WEIGHT = _sub(
    r"the (?:total )?weight of (?:all )?(?:the )?non-originating materials of " + LIST + r"\s+(?:used )?"
    rf"(?:does not|do not) exceed {NUM}% of the (?:net )?weight of the product"
)
P_WO_PRODUCT = _sub(r"^\s*(?:All (?:the )?[^.§]{0,140}?(?:shall be|must be|are|is) )?wholly obtained\.?\s*$")
P_WO_MATERIALS = _sub(
    r"all (?:the )?(?:materials|[a-z][a-z ,()'-]{0,60}?) of " + LIST + r"\s+used (?:are|is) wholly obtained"
)
P_ORIGINATING_ALL = _sub(r"all the materials used are originating")
P_ORIGINATING_SCOPED = _sub(
    r"all (?:the )?(?:materials|[a-z][a-z ()',-]{0,80}?) of " + LIST + r"\s+used (?:is|are) originating"
)
P_RVC_JP = _sub(rf"(?:Your goods contain a )?Regional Value Content \(RVC\) of at least {NUM}% of {_FOB}")
P_RVC_NZ = _sub(
    r"(?:The good has a )?Regional Value Content \(RVC\) as calculated under Article \d+ of the Origin "
    rf"Reference Document of not less than {NUM}%,? whether using the build-up method or build-down "
    r"method(?: \(RVC\d+\))?"
)
P_RVC_HEAD = _sub(
    r"(?:No change in tariff classification required(?: for (?:a|any(?: other)?) good of [^,]*)?,\s*)?provided "
    r"(?:that )?there is a regional value content of not less than:?"
)
P_NO_CHANGE = _sub(
    r"No change in tariff classification (?:is )?required(?: for (?:a|any(?: other)?) good of [^,]*)?,?"
    r"(?:\s*provided (?:that )?there is)?"
)
P_RVC_ITEM = _sub(
    rf"(?:-\s*)?(?:[a-d]\)\s*)?{NUM}% under the (build-up|build-down|net cost|focused value) method"
    r"(?: taking into account only the non-originating materials of " + LIST + r")?"
)
P_QVC_ITEM = _sub(
    r"(?:(?:a|A) QVC of not less than:?\s*)?(?:-\s*)?(?:[a-d]\)\s*)?"
    + NUM
    + r"% of (?:(?P<both>either the ex-works price or free[- ]on[- ]board value)|(?P<exw>the ex-works "
    r"price)|(?P<fob>the free[- ]on[- ]board value)) under the (?P<method>build-up|build-down) method"
)
P_CHANGE_TO = _sub(
    r"A change to (?P<target>[^.;]*?)\s+from (?P<source>any other (?:chapter|heading|subheading)"
    r"|any (?:chapter|heading|subheading) outside that group|"
    + LIST.replace("?P<list>", "?P<named>")
    + r")(?P<group>,? including another (?:chapter|heading|subheading) within that group"
    r"| outside that group)?"
)
P_TEXTILE_NOTE = _sub(
    r"(?:For special conditions relating to products made of a mixture of textile materials,\s*)?"
    r"see (?:also )?Introductory Notes? (\d+)(?:\s*(?:and|or|,)\s*(\d+))?\.?"
    r"|For special conditions relating to products made of a mixture of textile materials,?\s*$"
)
P_QUOTA = _sub(r"-?\s*within the limits of the applicable annual quota\.?")
P_PERIOD = _sub(
    r"\((\d+)(?:st|nd|rd|th)? (\w{3})\w* (\d{4}) (?:to (\d+)(?:st|nd|rd|th)? (\w{3})\w* (\d{4})|onwards)\)"
)
P_UNTIL = _sub(r"\(until (\d+)(?:st|nd|rd|th)? (\w{3})\w* (\d{4})\)")
P_RELAXATION = _sub(r"^\s*however\b.*\bmay (?:also )?be (?:used|incorporated)")
P_PROVISO_JOIN = _sub(r",?\s*provided that:?\s*")


def _date(day: str, month: str, year: str) -> date:
    return date(int(year), _MONTHS[month[:3].lower()], int(day))


def _read_dates(w: _Work) -> None:
    m = P_PERIOD.search(w.text)
    if m:
        w.valid_from = _date(m.group(1), m.group(2), m.group(3))
        if m.group(4):
            w.valid_to = _date(m.group(4), m.group(5), m.group(6))
        w.take(m)
    m = P_UNTIL.search(w.text)
    if m:
        w.valid_to = _date(m.group(1), m.group(2), m.group(3))
        w.take(m)


def _changed(
    c: Criterion,
    *,
    exceptions: tuple[HsRange, ...] | None = None,
    conditional_exceptions: tuple[tuple[tuple[HsRange, ...], str], ...] | None = None,
    allowance: Limit | None = None,
) -> Criterion:
    """The criterion with some parts changed; its id is worked out again from the new content."""
    return replace(
        c,
        id="",
        exceptions=c.exceptions if exceptions is None else exceptions,
        conditional_exceptions=c.conditional_exceptions
        if conditional_exceptions is None
        else conditional_exceptions,
        allowance=c.allowance if allowance is None else allowance,
    )


def _shift(
    w: _Work,
    level: int,
    text: str,
    *,
    exclude_same_code: bool = False,
    from_ranges: tuple[HsRange, ...] = (),
    outside_group: tuple[HsRange, ...] = (),
) -> None:
    w.criteria.append(
        Criterion(
            "tariff_shift",
            text=text,
            level=level,
            exclude_same_code=exclude_same_code,
            from_ranges=from_ranges,
            outside_group=outside_group,
        )
    )


def _read_ctc(w: _Work, target: tuple[HsRange, ...]) -> None:
    for m in list(P_MODERN_CTC.finditer(w.text))[:1]:
        _shift(w, int(m.group(2)), m.group(0))
        end = m.end()
        w.take(m)
        _except_tail(w, end)
    old = P_OLD_CTC.search(w.text)
    if old:
        _shift(w, _LEVEL_OF_NAME[old.group(1).lower()], old.group(0))
        end = old.end()
        w.take(old)
        _except_tail(w, end)
    else:
        any_change = P_ANY.search(w.text)
        if any_change:
            _shift(w, 0, any_change.group(0), exclude_same_code=bool(any_change.group("incl")))
            end = any_change.end()
            w.take(any_change)
            _except_tail(w, end)
    for m in list(P_CHANGE_TO.finditer(w.text))[:1]:
        source = m.group("source").lower()
        group = (m.group("group") or "").lower()
        from_ranges: tuple[HsRange, ...] = ()
        outside_group: tuple[HsRange, ...] = ()
        if m.group("named"):
            from_ranges = parse_hs_list(m.group("named"))[0]
            level = 0
        else:
            level = _LEVEL_WORDS[source.split()[-1] if "outside" not in source else source.split()[1]]
            if "outside" in source or "outside" in group:
                outside_group = target
        _shift(w, level, m.group(0), from_ranges=from_ranges, outside_group=outside_group)
        described = re.sub(r"\b(?:a good|any other good|an? |the )\b", "", m.group("target"), flags=re.I)
        described = re.sub(
            r"(?:sub)?headings? [\d.]+(?: (?:through|to) (?:(?:sub)?heading )?[\d.]+)?|of\s*$",
            "",
            described,
            flags=re.I,
        ).strip(" ,")
        end = m.end()
        w.take(m)
        _except_tail(w, end)
        if re.search(r"[a-z]{3}", described, re.I):
            w.criteria.append(
                Criterion("attested", text=f"the good is: {described}", tolerance_allowed=False)
            )


def _except_tail(w: _Work, end: int) -> None:
    # the taken span was replaced by " § " (3 chars) starting where the match began; find it again
    idx = w.text.rfind(" § ", 0, end + 3)
    if idx < 0:
        return
    tail_start = idx + 3
    shift = w.last_shift()
    if shift is None:
        return
    m = P_EXCEPT.match(w.text[tail_start:])
    if m and _list(m):
        w.replace(shift, _changed(shift, exceptions=shift.exceptions + _list(m)))
    else:
        # "except from <described materials> of heading N": only such materials of N are excepted, which a
        # code cannot show; a material of N fails unless the producer attests it is not of that description
        m = P_EXCEPT_DESC.match(w.text[tail_start:])
        if not m or not _list(m):
            return
        when = f"the material is {m.group('desc').strip()}"
        w.replace(
            shift, _changed(shift, conditional_exceptions=(*shift.conditional_exceptions, (_list(m), when)))
        )
    w.text = w.text[:tail_start] + " § " + w.text[tail_start + m.end() :]


def _read_values(w: _Work, rvc_basis: str) -> None:
    m = P_ALLOWANCE.search(w.text)
    if m and w.last_shift():
        shift = w.last_shift()
        assert shift is not None
        w.replace(shift, _changed(shift, allowance=Limit(_pct(m.group(1)), "EXW")))
        w.take(m)
    for m in list(P_MAXNOM_MODERN.finditer(w.text)):
        w.criteria.append(
            Criterion("max_non_originating", text=m.group(0), limits=(Limit(_pct(m.group(1))),))
        )
        w.take(m)
    while m := P_MAXNOM_SCOPED.search(w.text):
        limits = [Limit(_pct(m.group(2)))]
        if m.group(3):
            limits.append(Limit(_pct(m.group(3)), "FOB"))
        w.criteria.append(
            Criterion("max_non_originating", text=m.group(0), scope=_list(m), limits=tuple(limits))
        )
        w.take(m)
    while m := P_MAXNOM_GOOD.search(w.text):
        w.criteria.append(
            Criterion(
                "max_non_originating",
                text=m.group(0),
                scope=_list(m),
                limits=(Limit(_pct(m.group(2)), rvc_basis),),
            )
        )
        w.take(m)
    while m := P_MAXNOM_ALL.search(w.text):
        limits = [Limit(_pct(m.group(1)))]
        if m.group(2):
            limits.append(Limit(_pct(m.group(2)), "FOB"))
        w.criteria.append(Criterion("max_non_originating", text=m.group(0), limits=tuple(limits)))
        w.take(m)
    while m := P_WEIGHT.search(w.text):
        w.criteria.append(
            Criterion(
                "max_non_originating_weight",
                text=m.group(0),
                scope=_list(m),
                limits=(Limit(_pct(m.group(2)), "WEIGHT"),),
            )
        )
        w.take(m)


def _read_rvc(w: _Work, rvc_basis: str) -> None:
    for m in list(P_RVC_JP.finditer(w.text)):
        w.criteria.append(
            Criterion(
                "value_content", text=m.group(0), limits=(Limit(_pct(m.group(1)), "FOB", "build_down"),)
            )
        )
        w.take(m)
    for m in list(P_RVC_NZ.finditer(w.text)):
        pct = _pct(m.group(1))
        w.criteria.append(
            Criterion(
                "value_content",
                text=m.group(0),
                limits=(Limit(pct, rvc_basis, "build_up"), Limit(pct, rvc_basis, "build_down")),
            )
        )
        w.take(m)
    head = P_RVC_HEAD.search(w.text)
    if head:
        w.no_ctc = w.no_ctc or head.group(0).lower().startswith("no change")
        w.take(head)
    elif nc := P_NO_CHANGE.search(w.text):
        w.no_ctc = True
        w.take(nc)
    for m in list(P_RVC_ITEM.finditer(w.text)):
        method = {
            "build-up": "build_up",
            "build-down": "build_down",
            "net cost": "net_cost",
            "focused value": "focused",
        }[m.group(2).lower()]
        basis = "NET_COST" if method == "net_cost" else rvc_basis
        scope = _list(m) if m.group("list") else ()
        w.criteria.append(
            Criterion(
                "value_content",
                text=m.group(0),
                scope=scope,
                limits=(Limit(_pct(m.group(1)), basis, method),),
            )
        )
        w.take(m)
    for m in list(P_QVC_ITEM.finditer(w.text)):
        method = "build_up" if m.group("method").lower() == "build-up" else "build_down"
        pct = _pct(m.group(1))
        limits: tuple[Limit, ...]
        if m.group("both"):
            limits = (Limit(pct, "EXW", method), Limit(pct, "FOB", method))
        else:
            limits = (Limit(pct, "EXW" if m.group("exw") else "FOB", method),)
        w.criteria.append(Criterion("value_content", text=m.group(0), limits=limits))
        w.take(m)


def _read_wholly_obtained(w: _Work) -> None:
    while m := P_WO_MATERIALS.search(w.text):
        w.criteria.append(Criterion("materials_wholly_obtained", text=m.group(0), scope=_list(m)))
        w.take(m)
    m = P_ORIGINATING_ALL.search(w.text)
    if m:
        w.criteria.append(Criterion("materials_originating", text=m.group(0)))
        w.take(m)
    while m := P_ORIGINATING_SCOPED.search(w.text):
        w.criteria.append(Criterion("materials_originating", text=m.group(0), scope=_list(m)))
        w.take(m)
    m = P_WO_PRODUCT.search(w.text)
    if m:
        w.criteria.append(Criterion("wholly_obtained", text=m.group(0).strip(), tolerance_allowed=False))
        w.take(m)


def _leftover(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("§", " ")).strip(" ,.;:-")


def _meaningful(text: str) -> bool:
    return bool(re.search(r"[a-z]{3,}", FILLER.sub(" ", text), re.I))


def parse_alternative(
    text: str, *, target: tuple[HsRange, ...] = (), rvc_basis: str = "FOB"
) -> tuple[Alternative, list[str]]:
    """One alternative: the criteria read from ``text`` and the rule notes found (textile notes, quota)."""
    w = _Work(normalise(text))
    for m in list(P_TEXTILE_NOTE.finditer(w.text)):
        w.notes += [f"textile_note_{n}" for n in m.groups() if n] or ["textile_note_5"]
        w.take(m)
    quota = P_QUOTA.search(w.text)
    if quota:
        w.notes.append("quota")
        w.take(quota)
    _read_dates(w)
    _read_rvc(w, rvc_basis)
    _read_ctc(w, target)
    _read_values(w, rvc_basis)
    _read_wholly_obtained(w)
    rest = _leftover(w.text)
    unapplied: list[str] = []
    if _meaningful(rest):
        # what is left: a specific process sentence, or a condition the reader does not know
        for piece in [p for p in re.split(r"\s*§\s*", w.text) if _meaningful(p)]:
            piece = _leftover(P_PROVISO_JOIN.sub(" ", piece))
            if P_RELAXATION.search(piece):
                unapplied.append(piece)  # a permission: ignoring it only makes the rule stricter
                continue
            groups = process_groups(piece)
            if groups:
                w.criteria.append(
                    Criterion("specific_process", text=piece, groups=groups, tolerance_allowed=False)
                )
            else:
                w.criteria.append(Criterion("attested", text=piece, tolerance_allowed=False))
    if not w.criteria and not unapplied:
        w.criteria.append(
            Criterion("attested", text=_leftover(normalise(text)) or text, tolerance_allowed=False)
        )
    if "quota" in w.notes:
        w.criteria.append(
            Criterion(
                "attested", text="within the limits of the applicable annual quota", tolerance_allowed=False
            )
        )
    alt = Alternative(
        tuple(w.criteria),
        text=text.strip(),
        valid_from=w.valid_from,
        valid_to=w.valid_to,
        unapplied=tuple(unapplied),
    )
    return alt, w.notes


def parse_rule_text(
    text: str, *, target: tuple[HsRange, ...] = (), rvc_basis: str = "FOB"
) -> tuple[list[Alternative], list[str]]:
    """Split a rule text on lone 'or' paragraphs and read each part."""
    parts = [p for p in re.split(r"\n\s*\n\s*(?:\*?or\*?)\s*\n\s*\n", text) if p.strip()]
    alternatives, notes = [], []
    for part in parts:
        alt, found = parse_alternative(part, target=target, rvc_basis=rvc_basis)
        alternatives.append(alt)
        notes += found
    return alternatives, notes
