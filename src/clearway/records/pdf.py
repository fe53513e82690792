"""A :class:`~clearway.records.core.Document` as a PDF: bilingual labels (Korean / English), Hangul set in the
bundled NanumSquare fonts (SIL OFL 1.1, ``data/fonts``), the verification code and a QR code of the public
verification address on every page. Values in, bytes out (fpdf2; segno for the QR matrix).

The output is deterministic: the same document, code and address give the same bytes (the creation date is
the document's issue date), so a file can be checked by its SHA-256.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from clearway.records.core import Document

FONT = "NanumSquare"


def _font_dir() -> Path:
    return Path(str(resources.files("clearway.data").joinpath("fonts")))


class _Pdf(FPDF):
    def __init__(self, document: Document, code: str, url: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.document, self.code, self.url = document, code, url
        fonts = _font_dir()
        self.add_font(FONT, "", str(fonts / "NanumSquareR.ttf"))
        self.add_font(FONT, "B", str(fonts / "NanumSquareB.ttf"))
        self.set_auto_page_break(auto=True, margin=28)
        self.set_margins(14, 14, 14)

    def footer(self) -> None:
        self.set_y(-24)
        self._qr(self.w - 14 - 18, self.h - 24, 18)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(60, 60, 60)
        self.multi_cell(
            self.w - 28 - 22,
            3.6,
            f"진위확인번호 Verification code: {self.code}\n"
            f"로그인 없이 확인 Check without signing in: {self.url}\n"
            f"Clearway · {self.document.title_ko} {self.document.title_en} · {self.page_no()}/{{nb}}",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_text_color(0, 0, 0)

    def _qr(self, x: float, y: float, size: float) -> None:
        matrix = segno.make(self.url, error="m", micro=False).matrix
        n = len(matrix)
        cell = size / n
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(matrix):
            for c, dark in enumerate(row):
                if dark:
                    self.rect(x + c * cell, y + r * cell, cell, cell, style="F")


def _height(pdf: FPDF, width: float, text: str) -> float:
    """The height ``text`` takes in a cell ``width`` wide (fpdf2's dry run)."""
    measured: Any = pdf.multi_cell(width, 4.6, text, dry_run=True, output="HEIGHT")
    return float(measured)


def render(document: Document, code: str, url: str) -> bytes:
    """The PDF of ``document`` carrying ``code`` and a QR code of ``url``."""
    pdf = _Pdf(document, code, url)
    pdf.set_creation_date(datetime.combine(document.issued_on, time(0, 0), tzinfo=UTC))
    pdf.set_title(f"{document.title_en} {document.number}")
    pdf.set_author("Clearway")
    pdf.set_subject(f"verification code {code}")
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - 28
    pdf.set_font(FONT, "B", 16)
    pdf.cell(width, 9, document.title_ko, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 11)
    pdf.cell(width, 6, document.title_en, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    pdf.cell(
        width,
        6,
        f"번호 No. {document.number}    발급일 Issued {document.issued_on.isoformat()}    "
        f"진위확인번호 Code {code}",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    label_w = 62
    for section in document.sections:
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.set_font(FONT, "B", 10)
        pdf.set_fill_color(230, 236, 245)
        pdf.cell(
            width,
            6.5,
            f"{section.title_ko} · {section.title_en}",
            fill=True,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.set_font(FONT, "", 8.5)
        for row in section.rows:
            label = f"{row.label_ko} / {row.label_en}"
            height = max(_height(pdf, label_w, label), _height(pdf, width - label_w, row.value))
            if pdf.will_page_break(height):
                pdf.add_page()
            y = pdf.get_y()
            pdf.multi_cell(label_w, 4.6, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
            pdf.multi_cell(width - label_w, 4.6, row.value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_y(y + height)
        if section.columns:
            if not section.table:
                pdf.cell(width, 5, "없음 / none", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                with pdf.table(
                    line_height=4.4, text_align="LEFT", first_row_as_headings=True, padding=0.8
                ) as table:
                    head = table.row()
                    for ko, en in section.columns:
                        head.cell(f"{ko}\n{en}")
                    for cells in section.table:
                        row_ = table.row()
                        for cell in cells:
                            row_.cell(cell)
        pdf.ln(2)
    return bytes(pdf.output())
