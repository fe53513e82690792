"""Rendering pages: the Jinja environment, number/date formatting, the language choice and safe responses.

Every page response carries a strict Content-Security-Policy (scripts and styles from this site only), is never
cached (it shows customs data), and remembers an explicit ``?lang=`` choice in a cookie.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from clearway.clock import KOREA
from clearway.errors import ClearwayError
from clearway.web.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, negotiate, translator
from clearway.web.i18n_codes import labelled
from clearway.web.pages.reasons import lane_reason
from clearway.web.pages.security import csrf_for, session_token

WEB_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
LANG_COOKIE = "clearway_lang"


_R = TypeVar("_R", bound=Response)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


# ---- formatting ---------------------------------------------------------------------------------------------
def as_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number(value: Any, places: int | None = None) -> str:
    """Thousands separators; no trailing zeros unless ``places`` is given (1234567.5000 → 1,234,567.5)."""
    amount = as_decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if places is not None:
        return f"{amount:,.{places}f}"
    text = f"{amount:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def money(value: Any, lang: str) -> str:
    """An amount in won: ``1,234,567 KRW`` (English) or ``1,234,567원`` (Korean)."""
    amount = as_decimal(value)
    if amount is None:
        return ""
    text = number(amount)
    return f"{text}원" if lang == "ko" else f"{text} KRW"


def local_time(value: Any, with_seconds: bool = False) -> str:
    """A moment in Korea Standard Time; naive values (SQLite) are UTC."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(KOREA).strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def duration(seconds: Any, lang: str) -> str:
    total = round(float(seconds or 0))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    units = ("일", "시간", "분", "초") if lang == "ko" else (" d", " h", " min", " s")
    parts = [f"{n}{u}" for n, u in zip((days, hours, minutes), units[:3], strict=True) if n]
    if not parts:
        parts = [f"{secs}{units[3]}"]
    return " ".join(parts)


# ---- messages in the page's language ----------------------------------------------------------------------
_PLACES = {"items": "error.item_line", "documents": "error.document_line"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def where(pointer: str | None, lang: str) -> str:
    """Which goods line (or attached document) a pointer is about, 1-based: ``/items/2/x`` → "3번째 품목"."""
    parts = (pointer or "").lstrip("/").split("/")
    for container, index in itertools.pairwise(parts):
        if container in _PLACES and index.isdigit():
            return translator(lang)(_PLACES[container], n=int(index) + 1)
    return ""


def field_message(error: Any, lang: str) -> str:
    """A field error's message: the service's own words in English; in Korean the reason for its code."""
    t = translator(lang)
    if lang != "ko":
        return str(error.message)
    key = f"reason.{error.code}"
    text = t(key) if t.has(key) else t("reason.other")
    at = json_position(error)
    return f"{text} ({t('error.json_at', line=at[0], column=at[1])})" if at else text


_JSON_AT = re.compile(r"line (\d+), column (\d+)")


def json_position(error: Any) -> tuple[int, int] | None:
    """Where a text is not valid JSON (line, column), from an ``invalid_json`` error."""
    match = _JSON_AT.search(str(error.message)) if error.code == "invalid_json" else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def says(item: Any, lang: str) -> str:
    """A message a service stored with its code (an assessment reason, a filing advice): in English as
    stored; in Korean the words for its code."""
    message = str(item.get("message") or "")
    if lang != "ko":
        return message
    t, code = translator(lang), str(item.get("code") or "")
    if t.has(f"advice.{code}"):
        details = item.get("details") or {}
        suggested = ", ".join(f"{s[:4]}.{s[4:]}" for s in details.get("suggested_hs6", []))
        return t(f"advice.{code}", suggested=suggested or "—")
    if t.has(f"reason.{code}"):
        return t(f"reason.{code}")
    return message if HANGUL.search(message) else t("reason.other")


def problem_detail(error: ClearwayError, lang: str) -> str:
    """A problem's detail: the service's sentence in English; in Korean the sentence for its type."""
    if lang != "ko":
        return error.detail
    t = translator(lang)
    key = f"problem_detail.{error.type}"
    if t.has(key):
        return t(key)
    return error.detail if HANGUL.search(error.detail) else t("problem_detail.other")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(number=number, local_time=local_time)
    return env


# ---- language ----------------------------------------------------------------------------------------------
def language_of(request: Request) -> str:
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def with_query(path: str, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


def _language_links(request: Request, here: str | None) -> list[dict[str, str]]:
    if here is None:
        params = {k: v for k, v in request.query_params.items() if k not in ("lang", "notice")}
        path = request.url.path
    else:
        path, params = here, {}
    return [
        {"code": code, "name": LANGUAGE_NAMES[code], "href": with_query(path, {**params, "lang": code})}
        for code in LANGUAGES
    ]


# ---- responses ---------------------------------------------------------------------------------------------
def secure(response: _R, request: Request) -> _R:
    response.headers.update(SECURITY_HEADERS)
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=365 * 86400,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    here: str | None = None,
) -> HTMLResponse:
    """Render ``template`` in the request's language.

    ``here`` is the canonical address of what is shown when it differs from the request's (a form posted to
    ``/declarations/5/pay`` that shows the declaration again): the language links point there, and a boosted
    (HTMX) request's address bar is set to it.
    """
    lang = language_of(request)
    t: Translator = translator(lang)
    principal = getattr(request.state, "principal", None)
    token = session_token(request)
    settings = request.app.state.runtime.settings
    values: dict[str, Any] = {
        "t": t,
        "lang": lang,
        "principal": principal,
        "user_name": getattr(request.state, "display_name", None),
        "company_name": getattr(request.state, "company_name", None),
        "csrf_token": csrf_for(settings.secret_key, token) if (principal is not None and token) else "",
        "languages": _language_links(request, here),
        "money": lambda value: money(value, lang),
        "duration": lambda seconds: duration(seconds, lang),
        "with_query": with_query,
        "path": here or request.url.path,
        "code": lambda kind, value: labelled(kind, value, lang),
        "field_message": lambda error: field_message(error, lang),
        "where": lambda pointer: where(pointer, lang),
        "says": lambda item: says(item, lang),
        "lane_reason": lambda reason: lane_reason(reason, lang),
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status)
    if here is not None and request.headers.get("hx-request"):
        response.headers["HX-Push-Url"] = here
    return secure(response, request)


def redirect(request: Request, url: str) -> Response:
    """See Other: after a successful POST the browser (or HTMX) fetches ``url`` with GET."""
    return secure(RedirectResponse(url, status_code=303), request)


def local_path(candidate: str | None, default: str = "/") -> str:
    """A path on this site, never an address elsewhere (no open redirects through ?next=)."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return default
    return candidate
