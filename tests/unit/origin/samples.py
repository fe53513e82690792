"""Realistic certificate-of-origin documents for the tests, and a minimal PDF writer (no reportlab).

:func:`pdf_with_text` writes a valid PDF 1.4 file whose pages carry the given lines as real text (Helvetica,
WinAnsi), so pypdf reads them back the way it reads an issuer's PDF; :func:`pdf_without_text` writes a page
that only draws shapes, as a scanned certificate looks to a text extractor.
"""

from __future__ import annotations

LINES_PER_PAGE = 60


def _escape(line: str) -> str:
    line = line.encode("latin-1", "replace").decode("latin-1")
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf(pages_streams: list[bytes], with_font: bool = True) -> bytes:
    objects: list[bytes] = []
    n_pages = len(pages_streams)
    font_id = 3 + 2 * n_pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, stream in enumerate(pages_streams):
        resources = f"/Resources << /Font << /F1 {font_id} 0 R >> >>" if with_font else "/Resources << >>"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {resources} "
            f"/Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    if with_font:
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_with_text(text: str) -> bytes:
    lines = text.splitlines()
    streams = []
    for start in range(0, max(len(lines), 1), LINES_PER_PAGE):
        chunk = lines[start : start + LINES_PER_PAGE]
        body = (
            "BT /F1 9 Tf 11 TL 40 800 Td\n" + "\n".join(f"({_escape(line)}) Tj T*" for line in chunk) + "\nET"
        )
        streams.append(body.encode("latin-1"))
    return _pdf(streams)


def pdf_without_text() -> bytes:
    drawing = b"0.9 g 40 40 515 762 re f 0 g 60 700 300 40 re f 60 600 420 8 re f 60 580 380 8 re f"
    return _pdf([drawing], with_font=False)


UK_KR_INVOICE = """COMMERCIAL INVOICE
Invoice No.: INV-GB-2026-0412
Invoice date: 20 October 2026
Exporter: Thames Precision Motors Ltd, 14 Riverside Way, Reading RG1 8AA, United Kingdom
Consignee: Hanbit Trading Co., Ltd., 123 Teheran-ro, Gangnam-gu, Seoul, Republic of Korea
Terms: FOB Felixstowe
Item  Description                               HS code    Quantity    Amount
1     AC induction motor 7.5 kW, 3-phase, IE3   8501.52    40 PCS      GBP 38,000.00
2     Motor terminal box kit                    8538.90    40 SETS     GBP 2,400.00
Total GBP 40,400.00

Origin declaration
The exporter of the products covered by this document (customs or competent governmental authority authorisation No GBAEO/UKKR/0042) declares that, except where otherwise clearly indicated, these products are of UK preferential origin.
Reading, 20 October 2026
James Whitfield
Export Manager, Thames Precision Motors Ltd
"""

KR_EU_INVOICE = """RECHNUNG / INVOICE
Invoice No.: DE-77120
Date: 2026-09-14
Exporter: Rheinmetall Pumpen GmbH, Industriestrasse 5, 47119 Duisburg, Germany
Importer: Hanbit Trading Co., Ltd., 123 Teheran-ro, Gangnam-gu, Seoul, Republic of Korea
Pos. Description                        HS        Qty
1    Centrifugal pump, single stage      8413.70   12 PCS

The exporter of the products covered by this document (customs or competent governmental authority authorization No DE/4711/EA/0815) declares that, except where otherwise clearly indicated, these products are of EU preferential origin.
Duisburg, 14.09.2026
Katrin Vogel
"""

KORUS_CERTIFICATION = """CASCADE VALVE WORKS INC.
2200 Industrial Parkway, Portland, OR 97217, United States - Tel +1 503 555 0142

CERTIFICATION OF ORIGIN
United States-Korea Free Trade Agreement (KORUS FTA)
Certificate No.: CVW-KORUS-2026-017
Certifier: Exporter - Cascade Valve Works Inc.
1. Exporter: Cascade Valve Works Inc., 2200 Industrial Parkway, Portland, OR 97217, United States
2. Producer: Cascade Valve Works Inc., 2200 Industrial Parkway, Portland, OR 97217, United States
3. Importer: Hanbit Trading Co., Ltd., 123 Teheran-ro, Gangnam-gu, Seoul, Republic of Korea
4. Description of goods, HS tariff classification and preference criterion:
   1. Ball valve, stainless steel, flanged, DN50     8481.80    1,200 PCS    CTH
5. Blanket period: 2026-01-01 to 2026-12-31
I certify that the goods described in this document qualify as originating goods and the information contained in this document is true and accurate.
Authorized signature: Laura Chen, Compliance Director, laura.chen@cascadevalve.example
Date: 2026-01-05
"""

RCEP_CERTIFICATE = """Original
REGIONAL COMPREHENSIVE ECONOMIC PARTNERSHIP AGREEMENT
CERTIFICATE OF ORIGIN
Certificate No.: RCEP-CN-2026-000381
1. Exporter's name, address and country: Ningbo Bright Home Appliances Co., Ltd., 88 Jiangnan Road, Ningbo, China
2. Producer's name, address and country: Same as exporter
3. Importer's or consignee's name, address and country: Hanbit Trading Co., Ltd., 123 Teheran-ro, Gangnam-gu, Seoul, Republic of Korea
4. Means of transport and route: By sea
Departure date: 2026-11-02
Vessel: HMM OSLO V.021E
Port of loading: Ningbo, China
Port of discharge: Busan, Republic of Korea
5. Item  Marks  Number and kind of packages; description of goods     HS code   Origin criterion   Country of origin   Quantity
1  N/M  250 cartons of electric kettles, 1.7 L, stainless steel    8516.79   PE   CN   500 PCS
Invoice No. and date: NB-INV-7781, 2026-10-28
Remarks:
Declaration by the exporter: the above details and statement are correct, the goods comply with the origin requirements of the RCEP Agreement.
Place and date: Ningbo, 2026-10-29
Issuing body: China Council for the Promotion of International Trade, Ningbo Sub-Council
Date of issue: 2026-10-30
"""
