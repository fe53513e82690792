"""The portal's words for filing from a spreadsheet. Merged into :data:`clearway.web.i18n.STRINGS`; key →
(English, Korean)."""

from __future__ import annotations

FILING_STRINGS: dict[str, tuple[str, str]] = {
    "sheet.title": ("File from a spreadsheet", "엑셀 서식으로 신고"),
    "sheet.open": ("Upload a spreadsheet", "엑셀 서식 올리기"),
    "sheet.json": ("File as JSON", "JSON으로 신고"),
    "sheet.intro": (
        "Download the template, fill in one Header row per declaration and one Lines row per goods line, and "
        "upload it. Every declaration of the workbook is filed at once and answered on its own; an error names "
        "its cell (for example Lines!F5).",
        "서식을 내려받아 신고서마다 Header 한 행, 물품 란마다 Lines 한 행을 채워 올리십시오. 파일의 모든 "
        "신고서가 한 번에 접수되고 각각 결과가 표시됩니다. 오류는 셀 위치(예: Lines!F5)로 알려 드립니다.",
    ),
    "sheet.download": ("Download the template (.xlsx)", "서식 내려받기 (.xlsx)"),
    "sheet.file": ("Filled-in workbook", "작성한 서식 파일"),
    "sheet.hint": ("The .xlsx template, up to 8 MB", "최대 8 MB의 .xlsx 서식"),
    "sheet.submit": ("File the declarations", "신고서 제출"),
    "sheet.summary": (
        "{filed} filed, {replayed} already filed, {failed} refused",
        "접수 {filed}건, 이미 접수됨 {replayed}건, 거부 {failed}건",
    ),
    "sheet.row": ("Row", "행"),
    "sheet.reference": ("Your reference", "신고인 참조번호"),
    "sheet.outcome": ("Outcome", "결과"),
    "sheet.filed": ("filed", "접수"),
    "sheet.replayed": ("already filed", "이미 접수됨"),
    "sheet.lane": ("lane", "심사구분"),
    "sheet.refused": ("Refused:", "거부:"),
    "sheet.cell": ("Cell", "셀"),
}
