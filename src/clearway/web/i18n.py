"""The web portal's words in English and Korean.

Every string the pages show is a key here with both languages, so a missing translation is a test failure, not
a blank on the page. Domain words follow the product brief's glossary (수입신고, 검사구분, 과세가격, 수리, 반출 …).
Messages that come from the services (details of an error, validation messages) stay in the language they were
written in; their titles and reason codes are translated here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from clearway.web.i18n_extra import EXTRA_STRINGS

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}

STRINGS: dict[str, tuple[str, str]] = {
    # ---- frame -------------------------------------------------------------------------------------------
    "app.name": ("Clearway", "Clearway"),
    "app.tagline": ("Electronic customs clearance", "전자통관 시스템"),
    "nav.skip": ("Skip to content", "본문으로 건너뛰기"),
    "nav.main": ("Main", "주 메뉴"),
    "nav.my_declarations": ("My declarations", "내 신고"),
    "nav.declarations": ("All declarations", "전체 신고"),
    "nav.file": ("File a declaration", "신고서 제출"),
    "nav.queue": ("Work queue", "심사 대기열"),
    "nav.logout": ("Sign out", "로그아웃"),
    "nav.language": ("Language", "언어"),
    "nav.signed_in_as": ("Signed in as {name}", "{name} 님"),
    "footer.text": ("Clearway — open customs clearance. Times are Korea Standard Time (KST).",
                    "Clearway — 공개 전자통관 시스템. 시각은 한국 표준시(KST)입니다."),
    "role.trader": ("Trader", "화주"),
    "role.broker": ("Customs broker", "관세사"),
    "role.officer": ("Customs officer", "세관 공무원"),
    "role.risk_analyst": ("Risk analyst", "위험관리 분석관"),
    "role.admin": ("Administrator", "관리자"),
    "common.yes": ("Yes", "예"),
    "common.no": ("No", "아니요"),
    "common.none": ("—", "—"),
    "common.required": ("required", "필수"),
    # ---- login -------------------------------------------------------------------------------------------
    "login.title": ("Sign in", "로그인"),
    "login.intro": ("Traders, customs brokers and customs officers sign in here.",
                    "화주, 관세사, 세관 공무원은 여기에서 로그인합니다."),
    "login.username": ("Username", "사용자 ID"),
    "login.password": ("Password", "비밀번호"),
    "login.submit": ("Sign in", "로그인"),
    "login.failed": ("Wrong username or password.", "사용자 ID 또는 비밀번호가 올바르지 않습니다."),
    "login.missing": ("Enter your username and password.", "사용자 ID와 비밀번호를 입력하십시오."),
    "login.paused": ("Too many failed sign-ins: signing in is paused for 15 minutes.",
                     "로그인 실패가 반복되어 15분 동안 로그인이 제한됩니다."),
    "login.expired": ("Please sign in to continue.", "계속하려면 로그인하십시오."),
    "logout.done": ("You have signed out.", "로그아웃되었습니다."),
    # ---- errors ------------------------------------------------------------------------------------------
    "error.back": ("Back to the previous page", "이전 화면으로"),
    "error.home": ("Start page", "처음 화면"),
    "error.fix": ("What to fix", "수정할 항목"),
    "error.field": ("Field (JSON pointer)", "항목 (JSON 포인터)"),
    "error.code": ("Code", "코드"),
    "error.message": ("Problem", "내용"),
    "error.status": ("Error {status}", "오류 {status}"),
    "problem.not-found": ("Not found", "찾을 수 없습니다"),
    "problem.validation-failed": ("The submission has invalid fields", "입력한 내용에 오류가 있습니다"),
    "problem.conflict": ("Conflict with the current state", "현재 상태와 맞지 않습니다"),
    "problem.illegal-transition": ("That step is not allowed in the declaration's current status",
                                   "신고의 현재 처리상태에서는 할 수 없는 처리입니다"),
    "problem.unauthenticated": ("Authentication required", "로그인이 필요합니다"),
    "problem.forbidden": ("Not allowed", "권한이 없습니다"),
    "problem.payload-too-large": ("The upload is too large", "업로드한 내용이 너무 큽니다"),
    "problem.cannot-assess": ("Cannot assess", "세액을 산출할 수 없습니다"),
    "problem.service-unavailable": ("A required part is not available", "필요한 구성요소를 사용할 수 없습니다"),
    "problem.csrf": ("This form has expired", "양식이 만료되었습니다"),
    "problem.csrf.detail": ("The form did not carry this session's security token. Reload the page and try again.",
                            "양식에 현재 세션의 보안 토큰이 없습니다. 화면을 새로 고친 뒤 다시 시도하십시오."),
    "problem.page-not-found": ("There is no such page", "해당 화면이 없습니다"),
    "problem.bad-request": ("The request could not be read", "요청을 읽을 수 없습니다"),
    "problem.internal": ("Internal error", "내부 오류"),
    "problem.internal.detail": ("An unexpected error occurred; it has been logged.",
                                "예기치 않은 오류가 발생하여 기록되었습니다."),
    "reason.required": ("required", "필수 항목입니다"),
    "reason.unknown_field": ("not a field of the declaration", "신고서에 없는 항목입니다"),
    "reason.too_short": ("too short", "너무 짧습니다"),
    "reason.too_long": ("too long", "너무 깁니다"),
    "reason.must_be_positive": ("must be greater than zero", "0보다 커야 합니다"),
    "reason.must_not_be_negative": ("must not be negative", "음수일 수 없습니다"),
    "reason.too_large": ("too large", "너무 큽니다"),
    "reason.not_a_number": ("not a number", "숫자가 아닙니다"),
    "reason.not_allowed": ("not an allowed value", "허용되지 않는 값입니다"),
    "reason.bad_date": ("not a date (YYYY-MM-DD)", "날짜 형식(YYYY-MM-DD)이 아닙니다"),
    "reason.unknown_country": ("unknown country code", "알 수 없는 국가 코드입니다"),
    "reason.unknown_currency": ("unknown currency code", "알 수 없는 통화 코드입니다"),
    "reason.unknown_commodity_code": ("not in the HSK nomenclature", "HSK 품목번호에 없습니다"),
    "reason.malformed_commodity_code": ("an HSK code has 10 digits", "HSK 품목번호는 10자리입니다"),
    "reason.unknown_port": ("unknown port code", "알 수 없는 항구 코드입니다"),
    "reason.invalid_business_registration_number": ("business registration number check digit fails",
                                                    "사업자등록번호 검증번호가 맞지 않습니다"),
    "reason.amount_mismatch": ("pay exactly the amount due", "납부할 세액과 정확히 같아야 합니다"),
    "reason.reference_in_use": ("reference already used", "이미 사용된 참조번호입니다"),
    "reason.invalid_json": ("not valid JSON", "JSON 형식이 아닙니다"),
    "reason.not_an_object": ("expected a JSON object", "JSON 객체여야 합니다"),
    # ---- lists -------------------------------------------------------------------------------------------
    "list.title_mine": ("My declarations", "내 신고 목록"),
    "list.title_all": ("All declarations", "전체 신고 목록"),
    "list.count": ("{total} declaration(s)", "총 {total}건"),
    "list.empty": ("No declarations match these filters.", "조건에 맞는 신고가 없습니다."),
    "list.caption": ("Declarations, newest first", "신고 목록 (최근 순)"),
    "filter.legend": ("Filter", "조회 조건"),
    "filter.status": ("Status", "처리상태"),
    "filter.lane": ("Lane (검사구분)", "검사구분"),
    "filter.reference": ("Declarant reference", "신고인 참조번호"),
    "filter.any": ("Any", "전체"),
    "filter.apply": ("Apply", "조회"),
    "filter.reset": ("Clear", "초기화"),
    "pager.label": ("Pages", "페이지"),
    "pager.prev": ("Previous", "이전"),
    "pager.next": ("Next", "다음"),
    "pager.page": ("Page {page} of {pages}", "{pages}쪽 중 {page}쪽"),
    "col.number": ("Declaration no.", "신고번호"),
    "col.reference": ("Reference", "참조번호"),
    "col.kind": ("Kind", "구분"),
    "col.importer": ("Importer", "수입자"),
    "col.office": ("Customs office", "세관"),
    "col.filed_on": ("Filed on", "신고일"),
    "col.status": ("Status", "처리상태"),
    "col.lane": ("Lane", "검사구분"),
    "col.due": ("Due", "납부할 세액"),
    "col.stage": ("Stage", "단계"),
    "col.started": ("From", "시작"),
    "col.ended": ("To", "종료"),
    "col.duration": ("Duration", "소요시간"),
    "col.when": ("When", "일시"),
    "col.who": ("By", "처리자"),
    "col.what": ("Step", "처리"),
    "col.details": ("Details", "내용"),
    "col.version": ("Version", "차수"),
    "col.created": ("Created", "작성일시"),
    "kind.import": ("Import", "수입"),
    "kind.export": ("Export", "수출"),
    # ---- statuses, lanes, actions, stages ----------------------------------------------------------------
    "status.draft": ("Draft", "작성 중"),
    "status.filed": ("Filed", "신고 접수"),
    "status.assessed": ("Assessed", "세액 산출"),
    "status.lane_assigned": ("Lane assigned", "검사구분 지정"),
    "status.under_document_check": ("Under document check", "서류심사 중"),
    "status.under_inspection": ("Under inspection", "물품검사 중"),
    "status.accepted": ("Accepted", "수리"),
    "status.paid": ("Paid", "납부 완료"),
    "status.released": ("Released", "반출"),
    "status.rejected": ("Rejected", "각하"),
    "status.amended": ("Amended", "정정됨"),
    "status.cancelled": ("Withdrawn", "취하"),
    "lane.green": ("Green", "녹색"),
    "lane.yellow": ("Yellow", "황색"),
    "lane.red": ("Red", "적색"),
    "lane.blue": ("Blue", "청색"),
    "lane.none": ("Not assigned", "미지정"),
    "lane_desc.green": ("release without check", "검사생략 (전자수리)"),
    "lane_desc.yellow": ("document check", "서류심사"),
    "lane_desc.red": ("physical inspection", "물품검사"),
    "lane_desc.blue": ("release now, audit later", "사후심사"),
    "action.file": ("Filed", "신고"),
    "action.assess": ("Duties and taxes assessed", "세액 산출"),
    "action.assign_lane": ("Lane assigned", "검사구분 지정"),
    "action.start_document_check": ("Document check started", "서류심사 개시"),
    "action.start_inspection": ("Physical inspection started", "물품검사 개시"),
    "action.request_documents": ("Documents requested", "서류 보완 요구"),
    "action.record_inspection_result": ("Inspection result recorded", "검사결과 등록"),
    "action.accept": ("Accepted (수리)", "수리"),
    "action.reject": ("Rejected", "각하"),
    "action.pay": ("Paid", "납부"),
    "action.release": ("Released (반출)", "반출"),
    "action.amend": ("Amended", "정정"),
    "action.cancel": ("Withdrawn (취하)", "취하"),
    "stage.arrival_to_filing": ("Arrival → filing", "입항 → 신고"),
    "stage.filing_to_lane": ("Filing → lane", "신고 → 검사구분"),
    "stage.lane_to_acceptance": ("Lane → acceptance", "검사구분 → 수리"),
    "stage.acceptance_to_payment": ("Acceptance → payment", "수리 → 납부"),
    "stage.payment_to_release": ("Payment → release", "납부 → 반출"),
    "stage.filing_to_release": ("Filing → release (total)", "신고 → 반출 (합계)"),
    "stage.arrival_to_release": ("Arrival → release (total)", "입항 → 반출 (합계)"),
    "finding.no_irregularity": ("No irregularity", "이상 없음"),
    "finding.irregularity": ("Irregularity found", "위반 사항 발견"),
    "inspection_stage.document_check": ("Document check", "서류심사"),
    "inspection_stage.inspection": ("Physical inspection", "물품검사"),
    "method.bank_transfer": ("Bank transfer", "계좌이체"),
    "method.virtual_account": ("Virtual account", "가상계좌"),
    "method.card": ("Card", "신용카드"),
    "method.duty_account": ("Duty account", "관세 계정"),
    # ---- filing ------------------------------------------------------------------------------------------
    "new.title": ("File a declaration", "수입/수출신고서 제출"),
    "new.intro": ("Paste the declaration as JSON (fields after the WCO Data Model) or upload a .json file. "
                  "Every invalid field is named with its JSON pointer.",
                  "신고서를 JSON(WCO 데이터 모델 항목)으로 붙여 넣거나 .json 파일을 올리십시오. "
                  "잘못된 항목은 JSON 포인터로 모두 표시됩니다."),
    "new.document": ("Declaration (JSON)", "신고서 (JSON)"),
    "new.document_hint": ("kind, declarant_reference, parties, consignment, items, documents",
                          "kind, declarant_reference, 당사자, 운송 정보, 품목, 첨부서류"),
    "new.upload": ("…or upload a JSON file", "…또는 JSON 파일 올리기"),
    "new.upload_hint": ("A chosen file is used instead of the text above.", "파일을 고르면 위의 내용 대신 사용됩니다."),
    "new.check": ("Check without filing", "제출 전 검사"),
    "new.submit": ("File the declaration", "신고서 제출"),
    "new.example": ("Start from an example", "예시로 시작하기"),
    "new.valid": ("No errors: the declaration can be filed.", "오류가 없습니다. 제출할 수 있습니다."),
    "new.empty": ("Paste the declaration or choose a file.", "신고서를 붙여 넣거나 파일을 고르십시오."),
    "new.invalid_json": ("This is not valid JSON", "JSON 형식이 아닙니다"),
    "new.invalid_json.detail": ("line {line}, column {column}: {error}", "{line}행 {column}열: {error}"),
    "new.errors": ("{n} field(s) to fix", "수정할 항목 {n}개"),
    "new.sent": ("You sent", "입력값"),
    "new.not_sent": ("(missing)", "(없음)"),
    "new.filed": ("Declaration {number} was filed.", "신고 {number}이(가) 접수되었습니다."),
    "new.replayed": ("This declaration had been filed already; this is the earlier filing.",
                     "이미 제출된 신고입니다. 기존 신고를 표시합니다."),
    "amend.title": ("Amend declaration {number} (정정)", "신고 {number} 정정"),
    "amend.intro": ("Correct the declaration and give the reason. It is filed again as a new version; the old "
                    "version is kept as amended. The declarant reference stays the same.",
                    "신고 내용을 고치고 사유를 적으십시오. 새 차수로 다시 신고되며 이전 차수는 정정됨으로 보관됩니다. "
                    "신고인 참조번호는 바꿀 수 없습니다."),
    "amend.reason": ("Reason for the amendment", "정정 사유"),
    "amend.submit": ("File the amendment", "정정 신고"),
    "amend.back": ("Back to the declaration", "신고로 돌아가기"),
    "amend.link": ("Amend (정정)", "정정하기"),
    "amend.not_allowed": ("This declaration can no longer be amended in its current status.",
                          "현재 처리상태에서는 정정할 수 없습니다."),
    "amend.done": ("The amendment was filed; this is the new version.",
                   "정정 신고가 접수되었습니다. 새 차수를 표시합니다."),
    # ---- detail ------------------------------------------------------------------------------------------
    "detail.title": ("Declaration {number}", "신고 {number}"),
    "detail.summary": ("Summary", "개요"),
    "detail.reference": ("Declarant reference", "신고인 참조번호"),
    "detail.version": ("Version", "차수"),
    "detail.filed_at": ("Filed", "신고일시"),
    "detail.updated_at": ("Last step", "최종 처리일시"),
    "detail.total_due": ("Duties and taxes due", "납부할 세액"),
    "detail.not_assessed": ("not assessed", "미산출"),
    "detail.old_version": ("You are looking at version {version}; the current version is {current}.",
                           "{version}차 신고를 보고 있습니다. 현재 차수는 {current}차입니다."),
    "detail.show_current": ("Show the current version", "현재 차수 보기"),
    "detail.parties": ("Parties", "당사자"),
    "party.declarant": ("Declarant", "신고인"),
    "party.importer": ("Importer", "수입자 (납세의무자)"),
    "party.exporter": ("Exporter", "수출자"),
    "party.seller": ("Seller", "판매자"),
    "party.buyer": ("Buyer", "구매자"),
    "party.brn": ("BRN", "사업자등록번호"),
    "detail.consignment": ("Consignment", "운송 정보"),
    "consignment.transport_mode": ("Transport mode", "운송수단"),
    "consignment.transport_document": ("Transport document (B/L, AWB)", "운송서류번호 (B/L, AWB)"),
    "consignment.arrival_date": ("Arrival", "입항일"),
    "consignment.customs_office": ("Customs office", "세관"),
    "consignment.port": ("Port", "항구"),
    "detail.items": ("Goods items", "품목"),
    "item.line": ("Line", "란번호"),
    "item.commodity_code": ("Commodity code (HSK)", "품목번호 (HSK)"),
    "item.description": ("Description", "품명"),
    "item.origin": ("Origin", "원산지"),
    "item.quantity": ("Quantity", "수량"),
    "item.net_mass": ("Net mass (kg)", "순중량 (kg)"),
    "item.invoice": ("Invoice amount", "송품장 금액"),
    "item.incoterm": ("Incoterm", "인도조건"),
    "item.preference": ("Preference claim", "협정관세 적용신청"),
    "detail.documents": ("Documents", "첨부서류"),
    "detail.lane": ("Lane (검사구분)", "검사구분"),
    "detail.lane_method": ("Selected by", "선별 방법"),
    "detail.lane_score": ("Score", "점수"),
    "detail.lane_reasons": ("Why", "선별 사유"),
    "detail.assessment": ("Assessment", "세액 산출"),
    "detail.placeholder": ("Placeholder — these figures do not come from the tariff engine.",
                           "임시 값 — 관세율표 엔진이 산출한 세액이 아닙니다."),
    "detail.lane_placeholder": ("Placeholder — risk selection is not configured.",
                                "임시 값 — 위험관리 선별이 설정되지 않았습니다."),
    "detail.demo_data": ("Demo data — not official rates.", "데모 데이터 — 공식 세율이 아닙니다."),
    "detail.method": ("Method", "산출 방법"),
    "detail.cannot_assess": ("Not every figure could be assessed; an officer settles them.",
                             "일부 세액을 산출할 수 없어 세관 공무원이 확정합니다."),
    "detail.line_title": ("Line {line} · {code}", "{line}란 · {code}"),
    "detail.customs_value": ("Customs value (과세가격)", "과세가격"),
    "detail.duty": ("Customs duty", "관세"),
    "detail.taxes": ("Internal taxes and VAT", "내국세 및 부가가치세"),
    "detail.line_due": ("Due for this line", "이 란의 납부세액"),
    "detail.figure": ("Tax", "세목"),
    "detail.rate": ("Rate", "세율"),
    "detail.rate_code": ("Rate code (관세율구분)", "관세율구분"),
    "detail.computation": ("Computation", "계산"),
    "detail.legal_basis": ("Legal basis", "근거 법령"),
    "detail.amount": ("Amount", "금액"),
    "detail.line_cannot": ("This line could not be assessed:", "이 란은 세액을 산출할 수 없습니다:"),
    "detail.notes": ("Notes", "참고"),
    "detail.advice": ("Warnings", "주의 사항"),
    "detail.versions": ("Versions", "정정 이력"),
    "detail.amendment_reason": ("Amendment reason", "정정 사유"),
    "detail.events": ("Timeline", "처리 이력"),
    "detail.release_times": ("Release time by stage", "단계별 통관 소요시간"),
    "detail.release_times_none": ("No stage has completed yet.", "아직 완료된 단계가 없습니다."),
    "detail.inspections": ("Inspection results (검사결과)", "검사결과"),
    "detail.payments": ("Payments", "납부 내역"),
    "inspection.stage": ("Check", "심사 구분"),
    "inspection.finding": ("Finding", "결과"),
    "inspection.description": ("Description", "내용"),
    "inspection.additional_duty": ("Additional duty", "추가 징수 세액"),
    "inspection.critical": ("Critical", "중대 위반"),
    "payment.amount": ("Amount", "금액"),
    "payment.method": ("Method", "방법"),
    "payment.reference": ("Reference", "참조번호"),
    "payment.paid_at": ("Paid", "납부일시"),
    "event.system": ("system", "시스템"),
    # ---- trader actions ----------------------------------------------------------------------------------
    "actions.title": ("What you can do", "처리"),
    "cancel.title": ("Withdraw the declaration (취하)", "신고 취하"),
    "cancel.reason": ("Reason for withdrawal", "취하 사유"),
    "cancel.submit": ("Withdraw", "취하 신청"),
    "cancel.done": ("The declaration was withdrawn.", "신고가 취하되었습니다."),
    "pay.title": ("Pay the duties and taxes (납부)", "세액 납부"),
    "pay.amount": ("Amount (KRW)", "납부 금액 (원)"),
    "pay.method": ("Payment method", "납부 방법"),
    "pay.reference": ("Payment reference (transfer no.)", "납부 참조번호 (이체 번호)"),
    "pay.submit": ("Pay", "납부"),
    "pay.done": ("The payment was recorded.", "납부가 기록되었습니다."),
    # ---- officer -----------------------------------------------------------------------------------------
    "queue.title": ("Work queue", "심사 대기열"),
    "queue.intro": ("Declarations that risk selection sent to document check or physical inspection, from every "
                    "company; oldest first.",
                    "위험관리 선별로 서류심사 또는 물품검사 대상이 된 모든 업체의 신고입니다. 오래된 순으로 표시합니다."),
    "queue.stage": ("Check", "심사 구분"),
    "queue.both": ("Document check and inspection", "서류심사 및 물품검사"),
    "queue.empty": ("The queue is empty.", "대기 중인 신고가 없습니다."),
    "queue.caption": ("Declarations waiting for an officer, oldest first", "심사 대기 신고 (오래된 순)"),
    "decide.title": ("Decision", "심사 결정"),
    "decide.accept": ("Accept (수리)", "수리"),
    "decide.reject": ("Reject", "각하"),
    "decide.request_documents": ("Request documents", "서류 보완 요구"),
    "decide.inspect": ("Send to physical inspection", "물품검사로 전환"),
    "decide.inspection_result": ("Record the inspection result (검사결과)", "검사결과 등록"),
    "decide.reason": ("Reason", "사유"),
    "decide.note": ("Note (optional)", "비고 (선택)"),
    "decide.finding": ("Finding", "검사 결과"),
    "decide.description": ("What was found", "적발 내용"),
    "decide.additional_duty": ("Additional duty (KRW)", "추가 징수 세액 (원)"),
    "decide.critical": ("Critical (serious offence)", "중대 위반"),
    "decide.done": ("Done: {decision}.", "처리 완료: {decision}"),
    "release.title": ("Release the goods (반출)", "물품 반출 승인"),
    "release.intro": ("The duties and taxes are paid; the goods may leave customs control.",
                      "세액이 납부되었습니다. 물품을 반출할 수 있습니다."),
    "release.submit": ("Release", "반출 승인"),
    "release.done": ("The goods were released.", "반출이 승인되었습니다."),
}
STRINGS.update(EXTRA_STRINGS)  # parties, administrator and analyst pages, every reason code (issue 21)


@dataclass(frozen=True, slots=True)
class Translator:
    """``t("key", name=...)`` in one language; falls back to English, then to the key itself."""

    lang: str
    strings: Mapping[str, tuple[str, str]]

    def __call__(self, key: str, **values: object) -> str:
        pair = self.strings.get(key)
        if pair is None:
            return key
        text = pair[LANGUAGES.index(self.lang)] or pair[0]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self.strings


def translator(lang: str) -> Translator:
    return Translator(lang if lang in LANGUAGES else DEFAULT_LANGUAGE, STRINGS)


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: an explicit ?lang=, else the remembered choice, else the browser's preference."""
    for choice in (query, cookie):
        if choice in LANGUAGES:
            return choice  # type: ignore[return-value]
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, position, tag.strip().lower()[:2]))
    for _, _, primary in sorted(ranked):
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE
