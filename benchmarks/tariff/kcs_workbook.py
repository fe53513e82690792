"""Write a test workbook in exactly the layout of the official KCS rate file (data.go.kr 15051179).

The official release ``관세율(2026).xlsx`` has two sheets, ``1.1`` and ``2.12`` (the rates as published on 1
January and on 12 February, near-identical), each with the header row 품목번호, 관세율구분, 관세율, 단위당세액,
기준가격, 적용국가구분, 용도세율구분, 적용개시일, 적용만료일 and one rate per row. The numbers written here are
made up (test data, not rates); the layout, the cell types (commodity codes as text so that leading zeros
stay, dates as ``YYYYMMDD`` text or as Excel date serials) and the mix of rate codes follow the real file.

    python -m benchmarks.tariff.kcs_workbook OUT.xlsx --rows 380216
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import xlsxwriter

from clearway.tariff.nomenclature import bundled_nomenclature

OFFICIAL_HEADER = (
    "품목번호",
    "관세율구분",
    "관세율",
    "단위당세액",
    "기준가격",
    "적용국가구분",
    "용도세율구분",
    "적용개시일",
    "적용만료일",
)
OLD_HEADER = (
    "품목번호",
    "관세율구분",
    "관세율",
    "단위당세액",
    "기준가격",
    "적용국가구분",
    "용도구분",
    "적용개시일자",
    "적용만료일자",
)
# The rate codes one commodity code carries in the 2026 file (a typical line: basic, WTO, APTA and FTA rates).
FTA_CODES = (
    "FCL1",
    "FSG1",
    "FEF1",
    "FAS1",
    "FIN1",
    "FEU1",
    "FPE1",
    "FUS1",
    "FTR1",
    "FAU1",
    "FCA1",
    "FCN1",
    "FNZ1",
    "FVN1",
    "FCO1",
    "FGB1",
    "FCECR1",
    "FCEHN1",
    "FCENI1",
    "FCEPA1",
    "FCESV1",
    "FIL1",
    "FKH1",
    "FID1",
    "FPH1",
    "FRCAS1",
    "FRCAU1",
    "FRCCN1",
    "FRCJP1",
    "FRCNZ1",
)
EPOCH = date(1899, 12, 30)  # Excel's day 0 (1900 date system)


def excel_serial(day: date) -> int:
    return (day - EPOCH).days


def rows(count: int, *, year: int = 2026, seed: int = 20) -> Iterator[tuple[object, ...]]:
    """``count`` data rows over the codes of the bundled HSK nomenclature (11,327, as many as the real file
    has): each code gets an A row, often C and APTA (E1) rows, the FTA rows (적용국가구분 2) and now and then a
    second staging variant, a greater-of agricultural rate or a use-specific rate. When every code has its
    rows and more are asked for, codes get quota (P3) rows for the second quarter."""
    rng = random.Random(seed)
    start, end = f"{year}0101", f"{year}1231"
    codes = bundled_nomenclature().codes()
    written = 0
    for round_ in itertools.count():
        for code in codes:
            for row in (
                _first_rows(code, rng, start, end)
                if round_ == 0
                else [
                    (
                        code,
                        "P3",
                        rng.choice((0, 1, 2, 3)),
                        None,
                        None,
                        "1",
                        None,
                        f"{year}0401",
                        f"{year}0630",
                    )
                ]
            ):
                if written == count:
                    return
                yield row
                written += 1


def _first_rows(code: str, rng: random.Random, start: str, end: str) -> list[tuple[object, ...]]:
    basic = rng.choice((0, 3, 5, 6.5, 8, 8, 8, 13, 20, 30))
    line: list[tuple[object, ...]] = [(code, "A", basic, None, None, "1", None, start, end)]
    if rng.random() < 0.7:
        line.append((code, "C", basic, None, None, "1", None, start, end))
    if rng.random() < 0.5:
        line.append((code, "E1", round(basic * 0.7, 1), None, None, "2", None, start, end))
    if rng.random() < 0.02:  # agricultural concession: "X% or Y won per unit, whichever is greater"
        line.append(
            (
                code,
                "W2",
                rng.choice((51.7, 135, 243, 270)),
                rng.choice((180, 1864, 6210)),
                None,
                "1",
                None,
                start,
                end,
            )
        )
    if rng.random() < 0.01:  # a rate for goods declared for one use only
        line.append((code, "C", 0, None, None, "1", "1", start, end))
    for fta in FTA_CODES:
        rate = round(basic * rng.choice((0, 0, 0.2, 0.5)), 1)
        line.append((code, fta, rate, None, None, "2", None, start, end))
    for variant in ("FCN2", "FEU2", "FUS2"):
        if rng.random() < 0.3:
            line.append((code, variant, 0, None, None, "2", None, start, end))
    return line


def write(
    path: Path,
    count: int,
    *,
    sheets: tuple[str, ...] = ("1.1", "2.12"),
    serial_dates: bool = False,
    header: tuple[str, ...] = OFFICIAL_HEADER,
    year: int = 2026,
) -> Path:
    """The workbook: every sheet holds the same ``count`` rows (the real file repeats itself across
    sheets)."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    text = workbook.add_format({"num_format": "@"})
    for name in sheets:
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows(count, year=year), start=1):
            _write_row(sheet, r, row, text, serial_dates)
    workbook.close()
    return path


def _write_row(
    sheet: xlsxwriter.worksheet.Worksheet,
    r: int,
    row: tuple[object, ...],
    text: xlsxwriter.format.Format,
    serial_dates: bool,
) -> None:
    code, rate_code, adval, specific, reference, country, use, start, end = row
    sheet.write_string(r, 0, str(code), text)
    sheet.write_string(r, 1, str(rate_code))
    if adval is not None:
        sheet.write_number(r, 2, float(str(adval)))
    if specific is not None:
        sheet.write_number(r, 3, float(str(specific)))
    if reference is not None:
        sheet.write_number(r, 4, float(str(reference)))
    sheet.write_string(r, 5, str(country))
    if use is not None:
        sheet.write_string(r, 6, str(use))
    for col, day in ((7, start), (8, end)):
        if serial_dates:
            text_day = str(day)
            day_ = date(int(text_day[:4]), int(text_day[4:6]), int(text_day[6:]))
            sheet.write_number(r, col, excel_serial(day_))
        else:
            sheet.write_string(r, col, str(day))


def write_rows(
    path: Path,
    sheet_rows: dict[str, list[tuple[object, ...]]],
    *,
    header: tuple[str, ...] = OFFICIAL_HEADER,
    serial_dates: bool = False,
) -> Path:
    """A workbook with the given rows per sheet (tests: the golden excerpt, edge cases)."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    text = workbook.add_format({"num_format": "@"})
    for name, data in sheet_rows.items():
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, header)
        for r, row in enumerate(data, start=1):
            _write_row(sheet, r, tuple(None if c in ("", None) else c for c in row), text, serial_dates)
    workbook.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=380_216)
    parser.add_argument("--sheets", default="1.1,2.12")
    parser.add_argument("--serial-dates", action="store_true")
    args = parser.parse_args()
    write(args.out, args.rows, sheets=tuple(args.sheets.split(",")), serial_dates=args.serial_dates)
    print(args.out)


if __name__ == "__main__":
    main()
