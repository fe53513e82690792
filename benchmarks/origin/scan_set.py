"""A noisy set of scanned certificates of origin, generated deterministically from Clearway's own records.

Each record below is a certificate as Clearway registers it (the fields the reader must find, as ground truth)
for one agreement's form: the EU–Korea and UK–Korea invoice origin declarations, the KORUS certification
(self-certification, no prescribed form), the RCEP certificate (Annex 3B boxes), the Korea–China certificate,
the Korea–ASEAN Form AK and the Korea–Vietnam Form VK. :func:`render` lays each form's numbered boxes out on
an A4 page at 300 dpi with the shipped NanumSquare font (Latin and Hangul; it has no Chinese glyphs, so the
Chinese certificate's text is in English, as the form is filled in practice), and :func:`scan` "prints and
scans" it: a rotation of up to ±3°, blur, a round issuer stamp over the text, 150 dpi, speckle and JPEG
compression. Everything is drawn from a seeded random generator, so the set is the same on every machine.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = Path(__file__).resolve().parents[2] / "src" / "clearway" / "data" / "fonts"
DPI = 300
PAGE = (2480, 3508)  # A4 at 300 dpi
MARGIN = 140

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the printable area


@dataclass(frozen=True)
class Record:
    key: str
    agreement: str
    form: str
    title: list[str]
    boxes: list[tuple[Box, list[str]]]
    truth: dict[str, str]
    stamp: list[str] = field(default_factory=list)


HANBIT = [
    "Hanbit Trading Co., Ltd.",
    "123 Teheran-ro, Gangnam-gu, Seoul, Republic of Korea",
    "서울특별시 강남구 테헤란로 123",
]


def records() -> list[Record]:
    return [
        Record(
            "uk_kr_invoice_declaration",
            "UK-KR",
            "eu_origin_declaration",
            ["COMMERCIAL INVOICE"],
            [
                (
                    (0, 0.06, 0.55, 0.2),
                    [
                        "Exporter:",
                        "Thames Precision Motors Ltd",
                        "14 Riverside Way, Reading RG1 8AA, United Kingdom",
                    ],
                ),
                (
                    (0.55, 0.06, 1, 0.2),
                    [
                        "Invoice No.: INV-GB-2026-0412",
                        "Invoice date: 20 October 2026",
                        "Terms: FOB Felixstowe",
                    ],
                ),
                ((0, 0.2, 1, 0.32), ["Consignee:", *HANBIT]),
                (
                    (0, 0.32, 1, 0.5),
                    [
                        "Item Description HS code Quantity Amount",
                        "1 AC induction motor 7.5 kW, 3-phase 8501.52 40 PCS GBP 38,000.00",
                        "2 Motor terminal box kit 8538.90 40 SETS GBP 2,400.00",
                        "Total GBP 40,400.00",
                    ],
                ),
                (
                    (0, 0.5, 1, 0.78),
                    [
                        "Origin declaration",
                        "The exporter of the products covered by this document (customs or",
                        "competent governmental authority authorisation No GBAEO/UKKR/0042) declares",
                        "that, except where otherwise clearly indicated, these products are of UK",
                        "preferential origin.",
                        "Reading, 20 October 2026",
                        "James Whitfield",
                    ],
                ),
            ],
            {
                "exporter_name": "Thames Precision Motors Ltd",
                "invoice_reference": "INV-GB-2026-0412",
                "issue_date": "2026-10-20",
                "origin_country": "GB",
                "exporter_authorisation": "GBAEO/UKKR/0042",
                "importer_name": "Hanbit Trading Co., Ltd.",
                "items/0/hs6": "850152",
                "items/0/quantity": "40",
            },
            ["THAMES PRECISION", "MOTORS LTD", "READING"],
        ),
        Record(
            "kr_eu_invoice_declaration",
            "KR-EU",
            "eu_origin_declaration",
            ["RECHNUNG / INVOICE"],
            [
                (
                    (0, 0.06, 0.55, 0.2),
                    ["Exporter:", "Rheinmetall Pumpen GmbH", "Industriestrasse 5, 47119 Duisburg, Germany"],
                ),
                ((0.55, 0.06, 1, 0.2), ["Invoice No.: DE-77120", "Date: 2026-09-14"]),
                ((0, 0.2, 1, 0.32), ["Importer:", *HANBIT]),
                (
                    (0, 0.32, 1, 0.46),
                    ["Pos. Description HS Qty", "1 Centrifugal pump, single stage 8413.70 12 PCS"],
                ),
                (
                    (0, 0.46, 1, 0.74),
                    [
                        "The exporter of the products covered by this document (customs or",
                        "competent governmental authority authorization No DE/4711/EA/0815) declares",
                        "that, except where otherwise clearly indicated, these products are of EU",
                        "preferential origin.",
                        "Duisburg, 14.09.2026",
                        "Katrin Vogel",
                    ],
                ),
            ],
            {
                "exporter_name": "Rheinmetall Pumpen GmbH",
                "invoice_reference": "DE-77120",
                "issue_date": "2026-09-14",
                "origin_country": "EU",
                "exporter_authorisation": "DE/4711/EA/0815",
                "importer_name": "Hanbit Trading Co., Ltd.",
                "items/0/hs6": "841370",
                "items/0/quantity": "12",
            },
            ["RHEINMETALL", "PUMPEN GMBH", "DUISBURG"],
        ),
        Record(
            "korus_certification",
            "KORUS",
            "korus_certification",
            ["CERTIFICATION OF ORIGIN", "United States-Korea Free Trade Agreement (KORUS FTA)"],
            [
                (
                    (0, 0.08, 1, 0.13),
                    ["Certificate No.: CVW-KORUS-2026-017", "Certifier: Exporter - Cascade Valve Works Inc."],
                ),
                (
                    (0, 0.13, 0.5, 0.25),
                    [
                        "1. Exporter:",
                        "Cascade Valve Works Inc.",
                        "2200 Industrial Parkway, Portland, OR 97217, United States",
                    ],
                ),
                ((0.5, 0.13, 1, 0.25), ["2. Producer:", "Same as exporter"]),
                ((0, 0.25, 1, 0.37), ["3. Importer:", *HANBIT]),
                (
                    (0, 0.37, 1, 0.5),
                    [
                        "4. Description of goods, HS tariff classification and preference criterion:",
                        "1. Ball valve, stainless steel, flanged, DN50 8481.80 1,200 PCS CTH",
                    ],
                ),
                ((0, 0.5, 1, 0.56), ["5. Blanket period: 2026-01-01 to 2026-12-31"]),
                (
                    (0, 0.56, 1, 0.78),
                    [
                        "I certify that the goods described in this document qualify as originating",
                        "goods and the information contained in this document is true and accurate.",
                        "Authorized signature: Laura Chen",
                        "Date: 2026-01-05",
                    ],
                ),
            ],
            {
                "reference": "CVW-KORUS-2026-017",
                "certifier_role": "exporter",
                "exporter_name": "Cascade Valve Works Inc.",
                "importer_name": "Hanbit Trading Co., Ltd.",
                "origin_criterion": "CTH",
                "issue_date": "2026-01-05",
                "blanket_from": "2026-01-01",
                "blanket_to": "2026-12-31",
                "items/0/hs6": "848180",
                "items/0/quantity": "1200",
            },
            ["CASCADE VALVE", "WORKS INC.", "PORTLAND OR"],
        ),
        Record(
            "rcep_certificate",
            "RCEP",
            "rcep_certificate",
            ["REGIONAL COMPREHENSIVE ECONOMIC PARTNERSHIP AGREEMENT", "CERTIFICATE OF ORIGIN"],
            [
                (
                    (0, 0.08, 0.55, 0.19),
                    [
                        "1. Exporter's name, address and country:",
                        "Ningbo Bright Home Appliances Co., Ltd.",
                        "88 Jiangnan Road, Ningbo, China",
                    ],
                ),
                ((0.55, 0.08, 1, 0.19), ["Certificate No.: RCEP-CN-2026-000381", "Original"]),
                ((0, 0.19, 0.55, 0.28), ["2. Producer's name, address and country:", "Same as exporter"]),
                ((0, 0.28, 0.55, 0.4), ["3. Importer's or consignee's name, address and country:", *HANBIT]),
                (
                    (0, 0.4, 0.55, 0.52),
                    [
                        "4. Means of transport and route: By sea",
                        "Departure date: 2026-11-02",
                        "Vessel: HMM OSLO V.021E",
                        "Port of loading: Ningbo, China",
                        "Port of discharge: Busan, Republic of Korea",
                    ],
                ),
                ((0.55, 0.19, 1, 0.52), ["5. For official use"]),
                (
                    (0, 0.52, 1, 0.64),
                    [
                        "6. Item Marks Packages and description HS code Criterion Country Quantity",
                        "1 N/M 250 cartons of electric kettles, 1.7 L 8516.79 PE CN 500 PCS",
                    ],
                ),
                ((0, 0.64, 1, 0.69), ["Invoice No. and date: NB-INV-7781, 2026-10-28"]),
                (
                    (0, 0.69, 0.5, 0.85),
                    [
                        "Declaration by the exporter: the above details are",
                        "correct and the goods comply with the RCEP Agreement.",
                        "Place and date: Ningbo, 2026-10-29",
                    ],
                ),
                (
                    (0.5, 0.69, 1, 0.85),
                    [
                        "Issuing body: China Council for the Promotion",
                        "of International Trade, Ningbo Sub-Council",
                        "Date of issue: 2026-10-30",
                    ],
                ),
            ],
            {
                "reference": "RCEP-CN-2026-000381",
                "exporter_name": "Ningbo Bright Home Appliances Co., Ltd.",
                "importer_name": "Hanbit Trading Co., Ltd.",
                "invoice_reference": "NB-INV-7781",
                "issue_date": "2026-10-30",
                "origin_country": "CN",
                "origin_criterion": "PE",
                "items/0/hs6": "851679",
                "items/0/quantity": "500",
            },
            ["CCPIT", "NINGBO", "SUB-COUNCIL"],
        ),
        Record(
            "kr_cn_certificate",
            "KR-CN",
            "authority_certificate",
            ["CERTIFICATE OF ORIGIN", "Form for China-Korea FTA"],
            [
                (
                    (0, 0.08, 0.55, 0.19),
                    [
                        "1. Exporter's name, address, country:",
                        "Qingdao Haixin Machinery Co., Ltd.",
                        "17 Huangpu Road, Qingdao, China",
                    ],
                ),
                ((0.55, 0.08, 1, 0.19), ["Certificate No.: K2637000123450012", "Issued in China"]),
                ((0, 0.19, 0.55, 0.28), ["2. Producer's name and address, if known:", "Same as exporter"]),
                (
                    (0, 0.28, 0.55, 0.4),
                    [
                        "3. Consignee's name, address, country:",
                        "Daehan Machinery Co., Ltd.",
                        "45 Gongdan-ro, Changwon, Republic of Korea",
                        "경상남도 창원시 공단로 45",
                    ],
                ),
                (
                    (0, 0.4, 0.55, 0.5),
                    [
                        "4. Means of transport and route: By sea",
                        "Departure date: 2026-10-12",
                        "Port of discharge: Busan, Korea",
                    ],
                ),
                ((0.55, 0.19, 1, 0.5), ["5. Remarks:"]),
                (
                    (0, 0.5, 1, 0.62),
                    [
                        "6. Item 7. Description of goods 8. HS code 9. Origin criterion 10. Quantity",
                        "1 Hydraulic gear pumps, cast iron 8413.60 PSR 300 PCS",
                    ],
                ),
                ((0, 0.62, 1, 0.67), ["11. Invoice No. and date: QHX-2026-0917, 2026-10-08"]),
                (
                    (0, 0.67, 0.5, 0.85),
                    [
                        "12. Declaration by the exporter: the goods were",
                        "produced in China and comply with the origin",
                        "requirements of the China-Korea FTA.",
                        "Place and date: Qingdao, 2026-10-09",
                    ],
                ),
                (
                    (0.5, 0.67, 1, 0.85),
                    [
                        "13. Issuing authority: General Administration",
                        "of Customs of China, Qingdao Customs",
                        "Date of issue: 2026-10-10",
                    ],
                ),
            ],
            {
                "reference": "K2637000123450012",
                "exporter_name": "Qingdao Haixin Machinery Co., Ltd.",
                "importer_name": "Daehan Machinery Co., Ltd.",
                "invoice_reference": "QHX-2026-0917",
                "issue_date": "2026-10-10",
                "origin_criterion": "PSR",
                "items/0/hs6": "841360",
                "items/0/quantity": "300",
            },
            ["QINGDAO CUSTOMS", "CERTIFICATE", "OF ORIGIN"],
        ),
        Record(
            "kr_asean_form_ak",
            "KR-ASEAN",
            "authority_certificate",
            ["KOREA-ASEAN FREE TRADE AREA PREFERENTIAL TARIFF", "CERTIFICATE OF ORIGIN - FORM AK"],
            [
                (
                    (0, 0.08, 0.64, 0.19),
                    [
                        "1. Goods consigned from (Exporter's business name, address, country):",
                        "Siam Rubber Products Co., Ltd.",
                        "99 Moo 4, Rayong, Thailand",
                    ],
                ),
                ((0.64, 0.08, 1, 0.19), ["Reference No.: AK-TH-2026-044817", "Issued in Thailand"]),
                (
                    (0, 0.19, 0.55, 0.31),
                    [
                        "2. Goods consigned to (Consignee's name, address, country):",
                        "Mirae Auto Parts Co., Ltd.",
                        "77 Sandan-ro, Ulsan, Republic of Korea",
                        "울산광역시 남구 산단로 77",
                    ],
                ),
                (
                    (0, 0.31, 0.55, 0.43),
                    [
                        "3. Means of transport and route:",
                        "Departure date: 2026-09-20",
                        "Vessel: KMTC BANGKOK 2609N",
                        "Port of discharge: Ulsan, Korea",
                    ],
                ),
                ((0.55, 0.19, 1, 0.43), ["4. For official use"]),
                (
                    (0, 0.43, 1, 0.56),
                    [
                        "5. Item 6. Marks 7. Packages, description of goods, HS 8. Criterion 9. Quantity",
                        "1 Rubber hoses for vehicles, reinforced 4009.31 RVC40 2,000 PCS",
                    ],
                ),
                ((0, 0.56, 1, 0.61), ["10. Invoice No. and date: SRP-INV-26-0331, 2026-09-15"]),
                (
                    (0, 0.61, 0.5, 0.8),
                    [
                        "11. Declaration by the exporter: the goods were",
                        "produced in Thailand and comply with the origin",
                        "requirements of the Korea-ASEAN FTA.",
                        "Place and date: Rayong, 2026-09-16",
                    ],
                ),
                (
                    (0.5, 0.61, 1, 0.8),
                    [
                        "12. Issued by: Department of Foreign Trade,",
                        "Ministry of Commerce, Thailand",
                        "Date of issue: 2026-09-17",
                    ],
                ),
            ],
            {
                "reference": "AK-TH-2026-044817",
                "exporter_name": "Siam Rubber Products Co., Ltd.",
                "importer_name": "Mirae Auto Parts Co., Ltd.",
                "invoice_reference": "SRP-INV-26-0331",
                "issue_date": "2026-09-17",
                "origin_criterion": "RVC40",
                "items/0/hs6": "400931",
                "items/0/quantity": "2000",
            },
            ["DEPARTMENT OF", "FOREIGN TRADE", "THAILAND"],
        ),
        Record(
            "kr_vn_form_vk",
            "KR-VN",
            "authority_certificate",
            ["KOREA-VIETNAM FREE TRADE AGREEMENT", "CERTIFICATE OF ORIGIN - FORM VK"],
            [
                (
                    (0, 0.08, 0.55, 0.19),
                    [
                        "1. Goods consigned from (Exporter's name, address, country):",
                        "Saigon Garment Export JSC",
                        "12 Le Loi Street, Ho Chi Minh City, Viet Nam",
                    ],
                ),
                ((0.55, 0.08, 1, 0.19), ["Reference No.: VN-KR-26-0098215", "Issued in Viet Nam"]),
                (
                    (0, 0.19, 0.55, 0.31),
                    [
                        "2. Goods consigned to (Consignee's name, address, country):",
                        "한빛무역 주식회사",
                        "서울특별시 강남구 테헤란로 123, Republic of Korea",
                    ],
                ),
                (
                    (0, 0.31, 0.55, 0.43),
                    [
                        "3. Means of transport and route:",
                        "Departure date: 2026-11-05",
                        "Vessel: SINOKOR HOCHIMINH 2611",
                        "Port of discharge: Busan, Korea",
                    ],
                ),
                ((0.55, 0.19, 1, 0.43), ["4. For official use"]),
                (
                    (0, 0.43, 1, 0.56),
                    [
                        "5. Item 6. Marks 7. Packages, description of goods, HS 8. Criterion 9. Quantity",
                        "1 Men's cotton shirts, woven 6205.20 PSR 3,600 PCS",
                    ],
                ),
                ((0, 0.56, 1, 0.61), ["10. Invoice No. and date: SGE-2611-07, 2026-11-01"]),
                (
                    (0, 0.61, 0.5, 0.8),
                    [
                        "11. Declaration by the exporter: the goods were",
                        "produced in Viet Nam and comply with the origin",
                        "requirements of the Korea-Viet Nam FTA.",
                        "Place and date: Ho Chi Minh City, 2026-11-02",
                    ],
                ),
                (
                    (0.5, 0.61, 1, 0.8),
                    [
                        "12. Issued by: Ministry of Industry and Trade,",
                        "Viet Nam, Regional Office HCMC",
                        "Date of issue: 2026-11-03",
                    ],
                ),
            ],
            {
                "reference": "VN-KR-26-0098215",
                "exporter_name": "Saigon Garment Export JSC",
                "importer_name": "한빛무역 주식회사",
                "invoice_reference": "SGE-2611-07",
                "issue_date": "2026-11-03",
                "origin_criterion": "PSR",
                "items/0/hs6": "620520",
                "items/0/quantity": "3600",
            },
            ["MOIT", "REGIONAL OFFICE", "HO CHI MINH"],
        ),
    ]


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("NanumSquareB.ttf" if bold else "NanumSquareR.ttf")), size)


def clean_text(record: Record) -> str:
    """The record's text in reading order (titles, then box by box): what a perfect OCR would return."""
    return "\n".join([*record.title, *(line for _, lines in record.boxes for line in lines)])


def render(record: Record) -> Image.Image:
    """The certificate printed on a white A4 page at 300 dpi: title, then each numbered box with its text."""
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    width, height = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN
    y = MARGIN
    for n, line in enumerate(record.title):
        font = _font(52 if n == 0 else 40, bold=True)
        w = draw.textlength(line, font=font)
        draw.text(((PAGE[0] - w) / 2, y), line, font=font, fill=0)
        y += 66
    body = _font(38)
    for (x0, y0, x1, y1), lines in record.boxes:
        left, top = MARGIN + x0 * width, MARGIN + y0 * height
        right, bottom = MARGIN + x1 * width, MARGIN + y1 * height
        draw.rectangle((left, top, right, bottom), outline=0, width=3)
        ty = top + 18
        for line in lines:
            draw.text((left + 22, ty), line, font=body, fill=0)
            ty += 50
    return page


def _stamp(rng: random.Random, words: list[str], size: int) -> Image.Image:
    """A round rubber stamp (ring, border text and a centre line) in ink with uneven coverage."""
    stamp = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(stamp)
    draw.ellipse((4, 4, size - 4, size - 4), outline=255, width=10)
    draw.ellipse((40, 40, size - 40, size - 40), outline=255, width=4)
    font = _font(size // 9, bold=True)
    for n, word in enumerate(words):
        w = draw.textlength(word, font=font)
        draw.text(((size - w) / 2, size * (0.3 + 0.17 * n)), word, font=font, fill=255)
    mask = stamp.rotate(rng.uniform(-30, 30), resample=Image.Resampling.BICUBIC)
    return mask.point(lambda v: int(v * rng.uniform(0.6, 0.85)))


def scan(record: Record, seed: int) -> Image.Image:
    """Print and scan the record: stamp, rotation (±3°), blur, 150 dpi, speckle; returned as an RGB image."""
    rng = random.Random(f"{record.key}:{seed}")
    page = render(record).convert("RGB")
    ink = rng.choice([(200, 40, 50), (40, 60, 170)])
    size = rng.randint(430, 560)
    # the stamp lands over the issuer's box or the declaration, where the real ones are
    (x0, y0, x1, y1), _ = rng.choice(record.boxes[-2:])
    width, height = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN
    cx = MARGIN + rng.uniform(x0, x1) * width - size / 2
    cy = MARGIN + rng.uniform(y0, y1) * height - size / 2
    page.paste(Image.new("RGB", (size, size), ink), (int(cx), int(cy)), _stamp(rng, record.stamp, size))
    angle = rng.uniform(-3, 3)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.8)))
    page = page.resize((PAGE[0] // 2, PAGE[1] // 2), Image.Resampling.BILINEAR)
    pixels = page.load()
    assert pixels is not None
    for _ in range(6000):  # dust and toner specks
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        v = rng.choice((0, 90, 255))
        pixels[x, y] = (v, v, v)
    out = io.BytesIO()
    page.save(out, format="JPEG", quality=rng.randint(30, 55), dpi=(150, 150))
    out.seek(0)
    image = Image.open(out)
    image.load()
    image.info["angle"] = round(angle, 2)
    return image


def as_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(150, 150))
    return out.getvalue()


def as_jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=80, dpi=(150, 150))
    return out.getvalue()


def as_pdf(image: Image.Image) -> bytes:
    """An image-only PDF (one page, the scan as its only content), as a scanner writes it."""
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PDF", resolution=150)
    return out.getvalue()


def variants(seeds: int = 2, first: int = 0) -> list[tuple[Record, int]]:
    """Each record scanned ``seeds`` times, with seeds ``first``, ``first + 1``...: the reported figures use
    seeds 0 and 1; other seeds give different scans of the same forms, for choosing settings."""
    return [(record, seed) for record in records() for seed in range(first, first + seeds)]


def rotation_of(image: Image.Image) -> float:
    return float(image.info.get("angle", math.nan))
