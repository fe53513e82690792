"""OCR of scanned certificates: the TSV reader, deskewing, per-field confidence and the clear errors."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from benchmarks.origin.scan_set import as_png, records, render
from clearway.origin.errors import CertificateUnreadable, OcrUnavailable
from clearway.origin.ocr import parse_tsv, skew_angle
from clearway.origin.reading import CONFIRM_BELOW, read_certificate, read_document
from tests.unit.origin.samples import RCEP_CERTIFICATE

HEAD = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


def _word(block: int, line: int, left: int, conf: float, text: str) -> str:
    return f"5\t1\t{block}\t1\t{line}\t1\t{left}\t100\t{len(text) * 20}\t40\t{conf}\t{text}\n"


def test_tsv_lines_keep_their_worst_word_and_drop_box_rules() -> None:
    tsv = (
        HEAD
        + _word(1, 1, 10, 96, "Certificate")
        + _word(1, 1, 250, 91, "No.:")
        + _word(1, 1, 350, -1, "|")
        + _word(1, 1, 380, 62, "RCEP-CN-2026-")
        + _word(1, 1, 650, 88, "000381")
        + _word(1, 2, 10, 95, "Date:")
    )
    lines = parse_tsv(tsv)
    assert [line.text for line in lines] == ["Certificate No.: RCEP-CN-2026-000381", "Date:"]
    assert lines[0].confidence == 0.62 and lines[1].confidence == 0.95


def test_side_by_side_boxes_are_read_box_by_box() -> None:
    tsv = (
        HEAD
        + _word(1, 1, 10, 95, "Exporter:")
        + _word(1, 1, 1400, 95, "Invoice No.: DE-77120")
        + _word(1, 2, 10, 95, "Rheinmetall Pumpen GmbH")
    )
    assert [line.text for line in parse_tsv(tsv)] == [
        "Exporter:",
        "Rheinmetall Pumpen GmbH",
        "Invoice No.: DE-77120",
    ]


def _lines(*rows: tuple[int, int, int, float, str]) -> str:
    """A page 2480 px wide (A4 at 300 dpi) with words given as (block, line, left, confidence, text)."""
    page = "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n"
    return HEAD + page + "".join(_word(*row) for row in rows)


def test_boxes_beside_each_other_do_not_cut_a_label_from_its_value() -> None:
    # tesseract reads the right-hand box between the exporter's label and the exporter's name
    tsv = _lines(
        (1, 1, 200, 93, "1. Exporter's name, address, country:"),
        (2, 1, 1400, 95, "Certificate No.: K2637000123450012"),
        (3, 1, 200, 92, "Qingdao Haixin Machinery Co., Ltd."),
        (4, 1, 200, 94, "2. Producer's name and address, if known:"),
        (5, 1, 200, 94, "Same as exporter"),
    )
    lines = parse_tsv(tsv)
    assert [line.text for line in lines][:4] == [
        "1. Exporter's name, address, country:",
        "Qingdao Haixin Machinery Co., Ltd.",
        "Certificate No.: K2637000123450012",
        "2. Producer's name and address, if known:",
    ]
    reading = read_certificate(
        "\n".join(line.text for line in lines),
        line_confidence=[line.confidence for line in lines],
        source="ocr",
    )
    assert reading.value("exporter_name") == "Qingdao Haixin Machinery Co., Ltd."
    assert reading.value("reference") == "K2637000123450012"


def test_print_noise_at_a_line_start_does_not_hide_its_label() -> None:
    tsv = _lines(
        (1, 1, 200, 90, "\u2018Exporter:"),
        (1, 2, 200, 93, "Thames Precision Motors Ltd"),
        (2, 1, 200, 91, "Reference NG.: AK-TH-2026-044817"),
        (3, 1, 200, 92, "3, Importer\u2019 s name:"),
        (3, 2, 200, 92, "Hanbit Trading Co., Ltd."),
        (4, 1, 200, 90, "1 Rubber hoses 4009. 31 RVC40 2, 000 PCS"),
    )
    reading = read_certificate("\n".join(line.text for line in parse_tsv(tsv)), source="ocr")
    assert reading.value("exporter_name") == "Thames Precision Motors Ltd"
    assert reading.value("reference") == "AK-TH-2026-044817"
    assert reading.value("importer_name") == "Hanbit Trading Co., Ltd."
    assert reading.items[0]["hs6"] == "400931" and reading.items[0]["quantity"] == "2000"


def test_hangul_read_syllable_by_syllable_is_joined_back() -> None:
    tsv = _lines((1, 1, 200, 90, "3. Consignee:"), (1, 2, 200, 91, "한 빛 무역 주식회사"))
    reading = read_certificate("\n".join(line.text for line in parse_tsv(tsv)), source="ocr")
    assert reading.value("importer_name") == "한빛무역 주식회사"


def test_a_party_read_as_its_street_address_is_flagged() -> None:
    # the consignee's name line was read above its label, so the block under the label starts with the address
    text = "3. Consignee's name, address, country:\n45 Gongdan-ro, Changwon, Republic of Korea"
    reading = read_certificate(text, line_confidence=[0.95, 0.95], source="ocr")
    assert "importer_name" in reading.needs_confirmation


def test_a_badly_read_label_does_not_flag_a_well_read_value() -> None:
    tsv = _lines(
        (1, 1, 200, 31, "Certificate"),
        (1, 1, 450, 88, "No.:"),
        (1, 1, 550, 94, "CVW-KORUS-2026-017"),
        (2, 1, 200, 93, "Invoice No.:"),
        (2, 1, 460, 42, "INV-GB-2O26-0412"),
    )
    lines = parse_tsv(tsv)
    assert [line.confidence for line in lines] == [0.94, 0.42]  # the value's words only
    reading = read_certificate(
        "\n".join(line.text for line in lines),
        line_confidence=[line.confidence for line in lines],
        source="ocr",
    )
    assert "reference" not in reading.needs_confirmation
    assert "invoice_reference" in reading.needs_confirmation  # its value was read badly


def test_skew_of_a_printed_page_is_found() -> None:
    page = render(records()[3]).resize((1240, 1754))
    for angle in (-2.5, 1.5):
        tilted = page.rotate(angle, fillcolor=255)
        assert abs(skew_angle(tilted) + angle) <= 0.5


def test_low_confidence_lines_flag_their_fields_for_confirmation() -> None:
    lines = RCEP_CERTIFICATE.splitlines()
    confidence = [0.93] * len(lines)
    exporter_line = next(i for i, line in enumerate(lines) if line.startswith("1. Exporter"))
    confidence[exporter_line] = 0.41  # one badly read word on the exporter's line
    reading = read_certificate(RCEP_CERTIFICATE, line_confidence=confidence, source="ocr")
    body = reading.as_dict()
    assert body["source"] == "ocr"
    assert body["fields"]["exporter_name"]["needs_confirmation"] is True
    assert body["fields"]["exporter_name"]["confidence"] == 0.41
    assert body["fields"]["reference"]["needs_confirmation"] is False
    assert "exporter_name" in body["needs_confirmation"] and "reference" not in body["needs_confirmation"]
    assert body["items"][0]["needs_confirmation"] is False


def test_values_that_do_not_look_like_their_field_are_flagged() -> None:
    text = RCEP_CERTIFICATE.replace("RCEP-CN-2026-000381", "RCEP-CN-ZOZG-OOO")  # digits read as letters
    reading = read_certificate(text, line_confidence=[0.95] * len(text.splitlines()), source="ocr")
    assert reading.fields["reference"].confidence <= 0.5 < CONFIRM_BELOW
    assert "reference" in reading.needs_confirmation
    # a text PDF keeps its pattern confidence: only OCR readings are checked against their word confidences
    assert read_certificate(RCEP_CERTIFICATE).needs_confirmation == []


def test_an_unreadable_image_is_a_clear_error_naming_the_file() -> None:
    with pytest.raises(
        CertificateUnreadable, match=re.escape("'torn.png' is not a readable PNG, JPEG or TIFF image")
    ):
        read_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "torn.png")


def test_a_blank_scan_is_a_clear_error_naming_the_file() -> None:
    blank = io.BytesIO()
    Image.new("L", (1240, 1754), 255).save(blank, format="PNG", dpi=(150, 150))
    with pytest.raises(
        CertificateUnreadable, match=re.escape("no text could be read from 'blank.png' by OCR")
    ):
        read_document(blank.getvalue(), "blank.png")


def test_missing_ocr_is_a_clear_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARWAY_TESSERACT", "/nonexistent/tesseract")
    scan = as_png(render(records()[2]).resize((1240, 1754)))
    with pytest.raises(
        OcrUnavailable, match=re.escape("'korus.png' is a scan, and reading it needs OCR")
    ) as raised:
        read_document(scan, "korus.png")
    problem = raised.value.to_problem()
    assert problem["status"] == 503 and "apt-get install tesseract-ocr" in problem["detail"]
    assert problem["file"] == "korus.png"
