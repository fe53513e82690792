"""Read a certificate-of-origin document into fields, with a confidence per field.

:func:`read_document` takes the uploaded bytes: a PDF is read through its text layer (pypdf); a scan — a PDF
whose pages carry no text, or a PNG, JPEG or TIFF image — is read through OCR (:mod:`clearway.origin.ocr`),
which gives each line a confidence; plain text is decoded (UTF-8, else CP949, else Latin-1). Both feed the
same field reader, :func:`read_certificate`: it finds the form (Korea–EU or UK–Korea invoice origin
declaration, KORUS certification, RCEP certificate, other authority certificate), then each data element by
its printed label (value on the same line or in the lines below it), its goods lines by their HS codes, and
returns a :class:`Reading`: every field with the value, a confidence in 0..1 and the line it came from, and
the required elements of the form it could not find.

Confidence: 0.95 a labelled value that passes its check (a date that parses, a 6-digit HS code, a known
country); 0.8 a labelled value found on the lines below the label; 0.6 a value found by pattern without a
label or one that fails its check (kept, flagged); the agreement and form guesses carry their own. A value
read by OCR takes at most the confidence of its worst-read word, and one that does not look like its field
(a certificate number without a digit, a name with stray symbols, an unknown origin criterion) at most 0.5.
A field or goods line below :data:`CONFIRM_BELOW` is returned with ``needs_confirmation``: the officer
confirms it rather than Clearway guessing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from clearway.origin import ocr
from clearway.origin.certificates import Certificate, CertificateItem, ProofForm, Transport, forms, proof_rule
from clearway.origin.errors import CertificateUnreadable
from clearway.origin.values import country_code, country_in, number, parse_date

MAX_BYTES = 10 * 1024 * 1024
CONFIRM_BELOW = 0.75

# ------------------------------------------------------------------------------------------------ text


@dataclass
class DocumentText:
    """The text of an uploaded document, where it came from, and (for OCR) a confidence per line."""

    text: str
    source: str = "text"  # "text" (a text layer or a text file) or "ocr"
    line_confidence: list[float] | None = None


def document_text(data: bytes, filename: str = "") -> str:
    return read_text_of(data, filename).text


def read_text_of(data: bytes, filename: str = "") -> DocumentText:
    name = f"'{filename}'" if filename else "the document"
    if not data:
        raise CertificateUnreadable(f"{name} is empty", file=filename or None)
    if len(data) > MAX_BYTES:
        raise CertificateUnreadable(
            f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB", file=filename or None
        )
    if data.lstrip()[:5] == b"%PDF-" or filename.lower().endswith(".pdf"):
        text = _pdf_text(data)
        if len(re.sub(r"\s", "", text)) >= 20:
            return DocumentText(text)
        return _ocr(data, filename)
    if ocr.is_image(data, filename):
        return _ocr(data, filename)
    for encoding in ("utf-8", "cp949"):
        try:
            return DocumentText(data.decode(encoding).lstrip("\ufeff"))
        except UnicodeDecodeError:
            continue
    return DocumentText(data.decode("latin-1"))


def _ocr(data: bytes, filename: str) -> DocumentText:
    images = ocr.page_images(data, filename)
    lines = ocr.read_images(images, filename)
    text = "\n".join(line.text for line in lines)
    if len(re.sub(r"\s", "", text)) < 20:
        name = f"'{filename}'" if filename else "the scan"
        raise CertificateUnreadable(
            f"no text could be read from {name} by OCR ({len(images)} page image(s)): a blank, illegible or "
            "non-document image? Upload a clearer scan (300 dpi) or register the certificate's fields as JSON",
            file=filename or None,
        )
    return DocumentText(text, "ocr", [line.confidence for line in lines])


def _pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CertificateUnreadable("the PDF is encrypted; upload an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except CertificateUnreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CertificateUnreadable(
            f"the file is not a readable PDF ({exc.__class__.__name__}: {exc})"
        ) from None
    if not pages:
        raise CertificateUnreadable("the PDF has no pages")
    return "\n".join(pages)


# ------------------------------------------------------------------------------------------------ reading


@dataclass
class Found:
    value: Any
    confidence: float
    line: int | None = None
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        return {
            "value": value,
            "confidence": round(self.confidence, 2),
            "needs_confirmation": self.confidence < CONFIRM_BELOW,
            "line": self.line,
            "label": self.label,
        }


@dataclass
class Reading:
    form: str
    agreement: str | None
    agreement_confidence: float
    fields: dict[str, Found]
    items: list[dict[str, Any]]
    missing: list[str]
    warnings: list[str] = field(default_factory=list)
    source: str = "text"

    @property
    def needs_confirmation(self) -> list[str]:
        """The fields (and goods lines, as ``items/N``) read too uncertainly to be used unconfirmed."""
        names = [k for k, v in self.fields.items() if v.confidence < CONFIRM_BELOW]
        return names + [f"items/{n}" for n, i in enumerate(self.items) if i.get("needs_confirmation")]

    def value(self, name: str) -> Any:
        found = self.fields.get(name)
        return found.value if found else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "agreement": self.agreement,
            "agreement_confidence": round(self.agreement_confidence, 2),
            "fields": {k: v.as_dict() for k, v in self.fields.items()},
            "items": self.items,
            "missing": self.missing,
            "warnings": self.warnings,
            "source": self.source,
            "needs_confirmation": self.needs_confirmation,
        }

    def to_certificate(self, *, agreement: str | None = None, reference: str | None = None) -> Certificate:
        v = self.value
        items = tuple(
            CertificateItem(
                description=i.get("description", ""),
                hs6=i.get("hs6"),
                quantity=number(i["quantity"]) if i.get("quantity") else None,
                unit=i.get("unit"),
                origin_criterion=i.get("origin_criterion"),
                origin_country=i.get("origin_country"),
                value=number(i["value"]) if i.get("value") else None,
                item_number=i.get("item_number"),
            )
            for i in self.items
        )
        transit = tuple(
            c for c in (country_code(x) for x in re.split(r"[,;/]| and ", v("transit") or "")) if c
        )
        transport = None
        if any(
            v(k)
            for k in (
                "transport_means",
                "port_of_loading",
                "port_of_discharge",
                "vessel",
                "transit",
                "departure_date",
            )
        ):
            transport = Transport(
                means=v("transport_means"),
                departure_date=v("departure_date"),
                vessel=v("vessel"),
                port_of_loading=v("port_of_loading"),
                port_of_discharge=v("port_of_discharge"),
                transit=transit,
            )
        return Certificate(
            reference=reference or v("reference") or v("invoice_reference") or "",
            agreement=(agreement or self.agreement or "").upper(),
            form=self.form,
            issuer=v("issuer"),
            issuing_country=v("issuing_country"),
            issue_date=v("issue_date"),
            valid_until=v("valid_until"),
            exporter_name=v("exporter_name"),
            exporter_address=v("exporter_address"),
            exporter_country=v("exporter_country"),
            exporter_authorisation=v("exporter_authorisation"),
            producer_name=v("producer_name"),
            importer_name=v("importer_name"),
            importer_address=v("importer_address"),
            importer_country=v("importer_country"),
            certifier_role=v("certifier_role"),
            certifier_name=v("certifier_name"),
            origin_country=v("origin_country"),
            origin_criterion=v("origin_criterion"),
            invoice_reference=v("invoice_reference"),
            invoice_date=v("invoice_date"),
            blanket_from=v("blanket_from"),
            blanket_to=v("blanket_to"),
            place=v("place"),
            signatory=v("signatory"),
            remarks=v("remarks"),
            declaration_text=v("declaration_text"),
            items=items,
            transport=transport,
        )


# label patterns (a line starting with the label, optionally numbered "1." or "Box 3:")
_L = r"^\s*(?:box\s*)?(?:\d{1,2}[.)]\s*)?"
LABELS: dict[str, str] = {
    "reference": _L
    + r"(?:certificate|cert\.?|reference|ref\.?)\s*(?:of origin\s*)?(?:no\.?|number|#)\s*[:.]?",
    "exporter_name": _L
    + r"(?:goods consigned from\s*\()?exporter(?:'s)?\b(?:\s*\(?(?:name|business name)[^:]*)?[^:\n]{0,40}:",
    "producer_name": _L + r"producer(?:'s)?\b[^:\n]{0,50}:",
    "importer_name": _L + r"(?:[il1]mporter(?:'s)?|consignee(?:'s)?|goods consigned to)\b[^:\n]{0,50}:",
    "certifier": _L + r"certifier\b[^:\n]{0,40}:",
    "issuer": _L
    + r"(?:issuing (?:body|authority)|issued by|certification by the issuing (?:body|authority))\b[^:\n]{0,40}:",
    "issue_date": _L + r"(?:date of (?:issue|issuance|certification)|issue date|issued on|date)\s*:",
    "valid_until": _L + r"(?:valid until|validity|expiry date|expires)\s*:",
    "invoice_reference": _L
    + r"(?:commercial\s+)?invoice\s*(?:no[.,:]?|number)s?(?:\s*(?:and|[a-z]{3,4})\s*date)?\s*[:.]?",
    "invoice_date": _L + r"invoice date\s*:",
    "origin_criterion": _L
    + r"(?:preference|origin(?: conferring)?|originating)\s+criteri(?:on|a)\b[^:\n]{0,30}:",
    "origin_country": _L + r"(?:(?:rcep\s+)?country of origin|origin)\s*:",
    "blanket": _L + r"blanket period\s*:",
    "signatory": _L
    + r"(?:name of (?:the )?signatory|signatory|authori[sz]ed signature|name and title|name)\s*:",
    "place": _L + r"(?:place(?: and date)?)\s*:",
    "transport_means": _L + r"(?:means of transport(?: and route)?|transport)\s*:",
    "departure_date": _L + r"departure date\s*:",
    "vessel": _L + r"(?:vessel(?:'s name)?|flight|vessel/flight(?: no\.?)?)\s*:",
    "port_of_loading": _L + r"port of (?:loading|departure)\s*:",
    "port_of_discharge": _L + r"port of (?:discharge|arrival|unloading)\s*:",
    "transit": _L + r"(?:via|transit(?: through)?|route)\s*:",
    "remarks": _L + r"remarks\s*:",
    "exporter_authorisation": _L
    + r"(?:approved exporter|authori[sz]ation|customs authori[sz]ation)\s*(?:no\.?|number)?\s*:",
}
_LABEL_RES = {k: re.compile(v, re.I) for k, v in LABELS.items()}
EU_DECLARATION = re.compile(
    (
        r"exporter of the products covered by this document\s*\((?:customs|competent)[^)]*?(?:authori[sz]ation)"
        r"\s*No\.?\s*(?P<auth>[^)]*?)\)\s*declares that,? except where otherwise clearly indicated,? these products"
        r" are of"
    ).replace(" ", r"\s+")
    + r"\s*(?P<origin>[A-Za-z .'-]+?)\s*preferential\s+origin",
    re.I | re.S,
)
# the same sentence as OCR may garble it: only the authorisation and the origin are needed
EU_DECLARATION_LOOSE = re.compile(
    r"products covered by this document.{0,80}?authori[sz]ation\W*No\.?\W*(?P<auth>[^)\s]*)\)?.{0,200}?"
    r"products\s+are\s+of\s+(?P<origin>[A-Za-z .'-]+?)\s*preferential\s+origin",
    re.I | re.S,
)
HS_IN_LINE = re.compile(r"(?<![\d.])(\d{4})\.?(\d{2})(?:\.?\d{2,4})?(?![\d])")
QTY = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(PCS|PCE|PC|U|UNITS?|SETS?|SET|KGS?|KG|TNE|MTR|M2|M3|LTR|L|PAIRS?|PR|DOZ|CTNS?)\b",
    re.I,
)
CRITERION = re.compile(r"\b(WO|PE|PSR|CTH|CTSH|CC|RVC\s?\d{2}|MAXNOM|DMI|ACU)\b")


_BLOCK_END = re.compile(
    r"^\s*(?:\d{1,2}[.)]\s*)?(?:declaration by|certification|i certify|i hereby|we hereby|the exporter of|for official use)",
    re.I,
)


def _is_label(line: str) -> str | None:
    for name, rx in _LABEL_RES.items():
        if rx.search(line):
            return name
    return "end" if _BLOCK_END.search(line) else None


def _labelled(lines: list[str], name: str) -> Found | None:
    rx = _LABEL_RES[name]
    for i, line in enumerate(lines):
        m = rx.search(line)
        if not m:
            continue
        rest = line[m.end() :].strip(" :\t")
        if rest:
            return Found(rest, 0.95, i + 1, m.group(0).strip())
        block = []
        for nxt in lines[i + 1 : i + 5]:
            if not nxt.strip() or _is_label(nxt):
                break
            block.append(nxt.strip())
        if block:
            return Found("\n".join(block), 0.8, i + 2, m.group(0).strip())
    return None


def detect_form(text: str) -> tuple[str, str | None, float]:
    low = re.sub(r"\s+", " ", text.lower())
    if EU_DECLARATION.search(text) or ("these products are of" in low and "preferential origin" in low):
        m = EU_DECLARATION.search(text) or EU_DECLARATION_LOOSE.search(text)
        origin = (m.group("origin") if m else "").strip().upper()
        code = country_code(origin) if origin else None
        if origin in ("UK", "UNITED KINGDOM") or code == "GB" or "uk-korea" in low or "united kingdom" in low:
            return "eu_origin_declaration", "UK-KR", 0.9
        if code == "EU" or "european union" in low or "eu-korea" in low or "korea-eu" in low:
            return "eu_origin_declaration", "KR-EU", 0.9
        return "eu_origin_declaration", None, 0.0
    if "korus" in low or re.search(r"korea[- –]?(?:u\.?s\.?|united states)|united states[- –]korea", low):
        return "korus_certification", "KORUS", 0.9
    if "rcep" in low or "regional comprehensive economic partnership" in low:
        return "rcep_certificate", "RCEP", 0.95
    if re.search(r"korea[- –]china|china[- –]korea", low):
        return "authority_certificate", "KR-CN", 0.9
    if re.search(r"asean[- –]korea|korea[- –]asean|form ak\b", low):
        return "authority_certificate", "KR-ASEAN", 0.9
    if re.search(r"korea[- –]viet ?nam|viet ?nam[- –]korea|form vk\b", low):
        return "authority_certificate", "KR-VN", 0.9
    return "authority_certificate", None, 0.0


def _party(found: Found | None) -> tuple[Found | None, Found | None, Found | None]:
    if not found:
        return None, None, None
    parts = [p.strip() for p in re.split(r"\n|;", str(found.value)) if p.strip()]
    if len(parts) == 1 and "," in parts[0]:
        head, _, tail = parts[0].partition(",")
        # "Name Ltd, 12 Road, City, Country": keep a company suffix with the name
        if re.match(r"\s*(?:ltd|inc|co|llc|gmbh|plc|s\.?a|ag|b\.?v)\b", tail, re.I):
            extra, _, tail = tail.partition(",")
            head = f"{head},{extra}"
        parts = [head.strip(), tail.strip()]
    name = Found(parts[0], found.confidence, found.line, found.label)
    address = (
        Found(", ".join(parts[1:]), found.confidence * 0.95, found.line, found.label)
        if len(parts) > 1
        else None
    )
    code = country_in(", ".join(parts[1:])) if len(parts) > 1 else None
    country = Found(code, found.confidence * 0.9, found.line, found.label) if code else None
    return name, address, country


def _items(lines: list[str]) -> list[dict[str, Any]]:
    items = []
    for i, line in enumerate(lines):
        if _is_label(line) and not re.match(r"^\s*\d+\s", line):
            continue
        m = HS_IN_LINE.search(line)
        if not m or re.search(r"invoice|date|tel|phone|fax|authori[sz]ation|no\.", line, re.I):
            continue
        hs6 = m.group(1) + m.group(2)
        row: dict[str, Any] = {"hs6": hs6, "line": i + 1, "confidence": 0.9}
        number = re.match(r"^\s*(\d{1,3})[.)]?\s+", line)
        if number and number.group(1) != m.group(1):
            row["item_number"] = int(number.group(1))
        rest = line[m.end() :]
        q = QTY.search(rest) or QTY.search(line[: m.start()])
        if q:
            row["quantity"] = q.group(1).replace(",", "")
            row["unit"] = q.group(2).upper()
        c = CRITERION.search(rest)
        if c:
            row["origin_criterion"] = c.group(1).replace(" ", "")
            after = re.match(r"\s+([A-Z]{2})\b", rest[c.end() :])
            if after and country_code(after.group(1)):
                row["origin_country"] = after.group(1)
        desc = line[: m.start()]
        if number:
            desc = desc[number.end() :]
        desc = re.sub(r"\s{2,}", " ", desc).strip(" |-:")
        if len(desc) < 3:
            tail = rest
            for rx in (QTY, CRITERION):
                tail = rx.sub(" ", tail)
            desc = re.sub(r"\s{2,}", " ", tail).strip(" |-:")
        row["description"] = desc
        country = re.search(r"\b([A-Z]{2})\b\s*$", rest.strip())
        if (
            "origin_country" not in row
            and country
            and country_code(country.group(1))
            and country.group(1) not in ("WO", "PE", "CC")
        ):
            row["origin_country"] = country.group(1)
        value = re.search(r"(?:USD|EUR|GBP|KRW|US\$)\s*([\d,]+(?:\.\d+)?)", rest)
        if value:
            row["value"] = value.group(1).replace(",", "")
        items.append(row)
    return items


def read_document(data: bytes, filename: str = "", *, agreement_hint: str | None = None) -> Reading:
    """Read uploaded bytes (text PDF, scan or text file) into fields: one field reader for every source."""
    doc = read_text_of(data, filename)
    return read_certificate(
        doc.text, agreement_hint=agreement_hint, line_confidence=doc.line_confidence, source=doc.source
    )


def read_certificate(
    text: str,
    *,
    agreement_hint: str | None = None,
    line_confidence: list[float] | None = None,
    source: str = "text",
) -> Reading:
    lines = [re.sub(r"[ \t]+", " ", line).rstrip() for line in text.splitlines()]
    form_code, agreement, agreement_conf = detect_form(text)
    if agreement_hint:
        agreement, agreement_conf = agreement_hint.upper(), 1.0
        rule = proof_rule(agreement)
        if rule:
            form_code = rule.form.code
    form: ProofForm = forms()[form_code]
    found: dict[str, Found] = {}
    warnings: list[str] = []
    for name in LABELS:
        hit = _labelled(lines, name)
        if hit:
            found[name] = hit
    for role in ("exporter", "producer", "importer"):
        party_name, address, country = _party(found.pop(f"{role}_name", None))
        if party_name:
            found[f"{role}_name"] = party_name
        if address:
            found[f"{role}_address"] = address
        if country:
            found[f"{role}_country"] = country
    certifier = found.pop("certifier", None)
    if certifier:
        said = re.search(r"\b(importer|exporter|producer)\b", str(certifier.value), re.I)
        if said:
            found["certifier_role"] = Found(
                said.group(1).lower(), certifier.confidence, certifier.line, certifier.label
            )
        rest = re.sub(
            r"^\s*(?:the\s+)?(?:importer|exporter|producer)\b[\s,:-]*", "", str(certifier.value), flags=re.I
        )
        if rest.strip():
            found["certifier_name"] = Found(
                rest.strip().split("\n")[0], certifier.confidence * 0.9, certifier.line
            )
    elif form_code == "korus_certification":
        m = re.search(r"\b(?:I|we),?\s+(?:as\s+)?the\s+(importer|exporter|producer)\b", text, re.I)
        if m:
            found["certifier_role"] = Found(m.group(1).lower(), 0.6)
    blanket = found.pop("blanket", None)
    if blanket:
        dates = re.findall(
            r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{1,2} [A-Za-z]+ \d{4}|[A-Za-z]+ \d{1,2}, \d{4}",
            str(blanket.value),
        )
        if len(dates) >= 2:
            for key, raw in (("blanket_from", dates[0]), ("blanket_to", dates[1])):
                d, conf = parse_date(raw)
                if d:
                    found[key] = Found(d, blanket.confidence * conf, blanket.line, blanket.label)
    for key in ("issue_date", "valid_until", "invoice_date", "departure_date"):
        if key in found:
            d, conf = parse_date(str(found[key].value))
            if d:
                found[key] = Found(d, found[key].confidence * conf, found[key].line, found[key].label)
            else:
                warnings.append(f"{key}: '{found[key].value}' is not a date")
                found[key].confidence = 0.3
    if "invoice_reference" in found:
        raw = str(found["invoice_reference"].value)
        inv = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9/_.-]*[A-Za-z0-9])", raw)
        d, conf = parse_date(raw[inv.end() :] if inv else raw)
        if inv:
            found["invoice_reference"].value = inv.group(1)
        if d and "invoice_date" not in found:
            found["invoice_date"] = Found(d, 0.8 * conf, found["invoice_reference"].line)
    for key in ("reference",):
        if key in found:
            m = re.search(r"([A-Za-z0-9][A-Za-z0-9/_.-]*[A-Za-z0-9])", str(found[key].value))
            if m:
                found[key].value = m.group(1)
    decl = EU_DECLARATION.search(text)
    sure = 1.0 if decl else 0.8
    decl = decl or EU_DECLARATION_LOOSE.search(text)
    if decl:
        found["declaration_text"] = Found(re.sub(r"\s+", " ", decl.group(0)), 0.95 * sure)
        auth = decl.group("auth").strip(" .…")
        if auth and not re.fullmatch(r"[.…\s]*", auth):
            found["exporter_authorisation"] = Found(auth, 0.9 * sure)
        origin = country_code(decl.group("origin"))
        if origin:
            found["origin_country"] = Found(origin, 0.95 * sure)
        _declaration_tail(text[decl.end() :], found)
    if "origin_country" in found and not decl:
        code = country_code(str(found["origin_country"].value))
        if code:
            found["origin_country"].value = code
        else:
            found["origin_country"].confidence = 0.4
    items = _items(lines)
    if "origin_country" not in found:
        countries = {i["origin_country"] for i in items if i.get("origin_country")}
        if len(countries) == 1:
            found["origin_country"] = Found(countries.pop(), 0.8)
    if "place" in found:
        place = re.split(r",?\s*\d", str(found["place"].value), maxsplit=1)[0].strip(" ,")
        d, conf = parse_date(str(found["place"].value))
        found["place"].value = place
        if d and "signature_date" not in found:
            found["signature_date"] = Found(d, found["place"].confidence * conf, found["place"].line)
    if "signatory" in found:
        found["signatory"].value = re.sub(r",?\s*\S+@\S+", "", str(found["signatory"].value)).strip(" ,")
    if (
        "producer_name" in found
        and re.match(r"same\W*as\W*(?:the\W*)?exporter", str(found["producer_name"].value), re.I)
        and "exporter_name" in found
    ):
        found["producer_name"] = Found(
            found["exporter_name"].value,
            found["producer_name"].confidence * 0.9,
            found["producer_name"].line,
            found["producer_name"].label,
        )
    if "origin_criterion" not in found:
        criteria = {i["origin_criterion"] for i in items if i.get("origin_criterion")}
        if len(criteria) == 1:
            found["origin_criterion"] = Found(criteria.pop(), 0.8)
    elif "origin_criterion" in found:
        m = CRITERION.search(str(found["origin_criterion"].value))
        if m:
            found["origin_criterion"].value = m.group(1)
    if "exporter_country" in found and "issuing_country" not in found and form.kind != "certificate":
        found["issuing_country"] = Found(
            found["exporter_country"].value, found["exporter_country"].confidence * 0.9
        )
    if form.kind == "origin_declaration" and "issuer" not in found and "exporter_name" in found:
        found["issuer"] = Found(found["exporter_name"].value, found["exporter_name"].confidence * 0.9)
    if line_confidence is not None:
        _ocr_confidence(found, items, line_confidence)
    for item in items:
        item["needs_confirmation"] = item["confidence"] < CONFIRM_BELOW
    present = set(found) | ({"items"} if items else set())
    missing = [name for name in form.required if name not in present]
    return Reading(form_code, agreement, agreement_conf, found, items, missing, warnings, source)


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{3,}")
_NAME_NOISE = re.compile(r"[|{}\[\]<>~^_=+*#@$%!?;\\]")
_PARTIES = ("exporter_name", "importer_name", "producer_name")
_ADDRESS_START = re.compile(r"\d{1,5}[A-Za-z]?,?\s")
_NAMES = ("exporter_name", "importer_name", "producer_name", "issuer", "signatory", "certifier_name", "place")


def _lines_conf(line: int | None, count: int, line_confidence: list[float]) -> float | None:
    if not line or line > len(line_confidence):
        return None
    return min(line_confidence[line - 1 : line - 1 + count])


def _ocr_confidence(
    found: dict[str, Found], items: list[dict[str, Any]], line_confidence: list[float]
) -> None:
    """Lower each OCR-read field to the confidence of its worst-read line, and to 0.5 when it does not look
    like its field."""
    for name, f in found.items():
        count = str(f.value).count("\n") + 1 if isinstance(f.value, str) else 1
        conf = _lines_conf(f.line, count, line_confidence)
        if conf is not None:
            f.confidence = min(f.confidence, conf)
        value = str(f.value)
        if (
            (
                name in ("reference", "invoice_reference")
                and not (_CODE.fullmatch(value) and re.search(r"\d", value))
            )
            or (name in _NAMES and (len(value.strip()) < 3 or _NAME_NOISE.search(value)))
            # a party's name that starts like a street address: its name line was missed or read elsewhere
            or (name in _PARTIES and _ADDRESS_START.match(value))
            or (name == "origin_criterion" and not CRITERION.fullmatch(value))
        ):
            f.confidence = min(f.confidence, 0.5)
    for item in items:
        conf = _lines_conf(item.get("line"), 1, line_confidence)
        if conf is not None:
            item["confidence"] = round(min(item["confidence"], conf), 3)
        if not item.get("quantity"):
            item["confidence"] = min(item["confidence"], 0.5)


def _declaration_tail(tail: str, found: dict[str, Found]) -> None:
    """Place, date and signatory printed after the declaration sentence."""
    for line in [x.strip() for x in tail.splitlines() if x.strip()][:6]:
        if "issue_date" not in found or found["issue_date"].confidence < 0.8:
            d, conf = parse_date(line)
            if d:
                found["issue_date"] = Found(d, 0.9 * conf)
                place = re.split(r",\s*(?=\d)|\s+\d", line, maxsplit=1)[0].strip(" ,(")
                if place and "place" not in found and not re.search(r"\d", place):
                    found["place"] = Found(place, 0.8)
                continue
        if (
            "signatory" not in found
            and re.match(r"^[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)+", line)
            and not re.search(r"\d", line)
        ):
            found["signatory"] = Found(line, 0.6)
