"""Filing from a spreadsheet in Chromium: the template downloads, a filled-in workbook uploads, each declaration
is answered on its own and a refused one names the cells to correct."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from clearway.filing import sheet
from clearway.filing.service import read_xlsx
from clearway.filing.template import write_workbook
from tests.documents import import_declaration
from tests.e2e.browsing import login, shot

pytestmark = pytest.mark.browser


def workbook(path: Path, documents: list[dict[str, Any]]) -> Path:
    rows = sheet.to_rows(documents)
    out = BytesIO()
    write_workbook(out, header=rows["Header"], lines=rows["Lines"], documents=rows["Documents"])
    path.write_bytes(out.getvalue())
    return path


def test_trader_downloads_the_template_and_files_a_workbook(page: Page, unique: str, tmp_path: Path) -> None:
    login(page, "trader")
    page.goto("/declarations/new")
    page.get_by_role("link", name="Upload a spreadsheet").click()
    expect(page.get_by_role("heading", name="File from a spreadsheet")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (.xlsx)").click()
    template = read_xlsx(Path(download.value.path()).read_bytes())
    assert tuple(template["Lines"][0]) == sheet.LINE_COLUMNS

    good = import_declaration(f"XL-{unique}")
    bad = import_declaration(f"XLBAD-{unique}", items__0__quantity="0")
    page.get_by_label("Filled-in workbook").set_input_files(
        str(workbook(tmp_path / "filing.xlsx", [good, bad]))
    )
    page.get_by_role("button", name="File the declarations").click()
    expect(page.locator("#sheet-summary")).to_contain_text("1 filed, 0 already filed, 1 refused")
    refused = page.locator("tr.sheet-result[data-status='422']")
    quantity = "Lines!" + sheet.cell_name(4, sheet.LINE_COLUMNS.index("quantity"))
    expect(refused).to_contain_text(f"XLBAD-{unique}")
    expect(refused.locator(".sheet-errors")).to_contain_text(quantity)
    expect(refused.locator(".sheet-errors")).to_contain_text("/items/0/quantity")
    shot(page, "spreadsheet-results")
    page.locator("tr.sheet-result[data-status='201']").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CW-")


def test_a_file_that_is_not_a_workbook_is_refused_in_korean(page: Page, tmp_path: Path) -> None:
    login(page, "trader")
    page.goto("/declarations/spreadsheet?lang=ko")
    expect(page.get_by_role("heading", name="엑셀 서식으로 신고")).to_be_visible()
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    page.locator("#workbook").set_input_files(str(text))
    page.get_by_role("button", name="신고서 제출").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#sheet-result")).to_contain_text("not_a_spreadsheet")
