"""The words of the certificate-of-origin and origin-verification pages (issue 15). Merged into
:data:`clearway.web.i18n.STRINGS`; same shape: key → (English, Korean)."""

from __future__ import annotations

ORIGIN_STRINGS: dict[str, tuple[str, str]] = {
    "nav.certificates": ("Certificates of origin", "원산지증명서"),
    "nav.origin_cases": ("Origin verification", "원산지 검증"),
    # ---- the list --------------------------------------------------------------------------------------
    "origin.certificates.title": ("Certificates of origin", "원산지증명서"),
    "origin.certificates.intro": (
        "Your company's certificates of origin: a declaration claiming an FTA rate cites one of them, and "
        "its quantities are drawn down by each declaration that uses it.",
        "자사의 원산지증명서입니다. 협정세율을 신청하는 수입신고는 이 중 하나를 근거로 하며, 신고마다 "
        "증명서의 수량이 차감됩니다.",
    ),
    "origin.certificates.intro_customs": (
        "Every certificate of origin on record, whichever company registered it.",
        "등록된 모든 원산지증명서입니다(등록 업체와 관계없이).",
    ),
    "origin.certificates.find": ("Find", "찾기"),
    "origin.certificates.empty": ("No certificate of origin yet.", "등록된 원산지증명서가 없습니다."),
    "origin.certificates.back": ("Back to the certificates", "원산지증명서 목록으로"),
    "origin.col.channel": ("Received as", "접수 방식"),
    "origin.col.status": ("Status", "상태"),
    "origin.col.left": ("Left to use", "잔여 수량"),
    "origin.col.declarations": ("Declarations", "사용 신고"),
    "origin.col.field": ("Field", "항목"),
    "origin.col.value": ("Value", "내용"),
    "origin.col.confidence": ("Confidence", "판독 신뢰도"),
    "origin.col.item": ("Item", "품목"),
    "origin.col.description": ("Description", "품명"),
    "origin.col.certified": ("Certified", "증명 수량"),
    "origin.col.used": ("Used", "사용 수량"),
    "origin.col.case": ("Case", "검증 건"),
    "origin.col.authority": ("Exporting authority", "수출국 발급기관 국가"),
    "origin.col.declaration_line": ("Declaration line", "신고 란"),
    "origin.channel.fields": ("Typed fields", "항목 입력"),
    "origin.channel.document": ("Document (PDF or scan)", "서류(PDF·스캔)"),
    "origin.channel.electronic": ("Electronic (e-CO)", "전자 원산지증명서(e-CO)"),
    "origin.status.registered": ("Registered", "등록"),
    "origin.status.withdrawn": ("Withdrawn", "효력 상실"),
    # ---- the fields of a certificate -------------------------------------------------------------------------
    "origin.field.reference": ("Certificate number", "증명서 번호"),
    "origin.field.agreement": ("Agreement", "협정"),
    "origin.field.form": ("Form", "서식"),
    "origin.field.issuer": ("Issuing authority", "발급기관"),
    "origin.field.issuing_country": ("Issuing country", "발급국"),
    "origin.field.issue_date": ("Issue date", "발급일"),
    "origin.field.valid_until": ("Valid until", "유효기간 만료일"),
    "origin.field.exporter_name": ("Exporter", "수출자"),
    "origin.field.exporter_address": ("Exporter's address", "수출자 주소"),
    "origin.field.exporter_country": ("Exporter's country", "수출자 국가"),
    "origin.field.exporter_authorisation": ("Approved exporter number", "인증수출자 번호"),
    "origin.field.producer_name": ("Producer", "생산자"),
    "origin.field.importer_name": ("Importer", "수입자"),
    "origin.field.importer_address": ("Importer's address", "수입자 주소"),
    "origin.field.importer_country": ("Importer's country", "수입자 국가"),
    "origin.field.certifier_role": ("Certifier", "증명 주체"),
    "origin.field.certifier_name": ("Certifier's name", "증명자 성명"),
    "origin.field.origin_country": ("Country of origin", "원산지"),
    "origin.field.origin_criterion": ("Origin criterion", "원산지 결정기준"),
    "origin.field.invoice_reference": ("Invoice number", "송품장 번호"),
    "origin.field.invoice_date": ("Invoice date", "송품장 일자"),
    "origin.field.departure_date": ("Departure date", "선적일"),
    "origin.field.blanket_from": ("Blanket period from", "포괄기간 시작"),
    "origin.field.blanket_to": ("Blanket period to", "포괄기간 종료"),
    "origin.field.place": ("Place", "장소"),
    "origin.field.signatory": ("Signatory", "서명자"),
    "origin.field.remarks": ("Remarks", "비고"),
    "origin.field.declaration_text": ("Declaration text", "원산지 신고문안"),
    # ---- a certificate's page ------------------------------------------------------------------------------
    "origin.certificate.title": ("Certificate of origin {reference}", "원산지증명서 {reference}"),
    "origin.certificate.withdrawn": (
        "This certificate is withdrawn: no declaration gets a preferential rate on it.",
        "이 증명서는 효력을 상실하여 이를 근거로 협정세율이 적용되지 않습니다.",
    ),
    "origin.certificate.fields": ("What the certificate says", "증명서 기재 내용"),
    "origin.certificate.scanned": (
        "Read by OCR from a scan: each field shows how sure the reading was.",
        "스캔본을 문자인식(OCR)으로 판독했습니다. 항목마다 판독 신뢰도를 표시합니다.",
    ),
    "origin.certificate.doubtful": (
        "{n} field(s) were read with low confidence: check them against the document.",
        "{n}개 항목의 판독 신뢰도가 낮습니다. 원본 서류와 대조하세요.",
    ),
    "origin.certificate.confirm": ("check", "확인 필요"),
    "origin.certificate.confirm_title": ("Confirm the doubtful fields", "판독 신뢰도가 낮은 항목 확인"),
    "origin.certificate.confirm_intro": (
        "Check each value against the document and correct it if it was misread; the record takes what you "
        "confirm.",
        "각 값을 원본 서류와 대조하고 잘못 판독되었으면 고치세요. 확인한 값이 기록에 반영됩니다.",
    ),
    "origin.certificate.confirm_submit": ("Confirm these values", "확인한 값 반영"),
    "origin.certificate.confirmed": ("confirmed", "확인됨"),
    "origin.certificate.validity_basis": ("Validity", "유효기간 근거"),
    "origin.certificate.items": ("Goods and quantities", "물품과 수량"),
    "origin.certificate.uses": ("Declarations that used it", "이 증명서를 사용한 신고"),
    "origin.certificate.no_uses": (
        "No declaration has drawn on this certificate yet.",
        "아직 이 증명서를 사용한 신고가 없습니다.",
    ),
    "origin.use": (
        "line {line}, version {version}: {quantity}",
        "{line}란, {version}차 신고: {quantity}",
    ),
    "origin.line": ("line {n}", "{n}란"),
    "origin.notice.registered": ("The certificate was registered.", "원산지증명서가 등록되었습니다."),
    "origin.notice.confirmed": ("The fields were confirmed.", "항목을 확인해 반영했습니다."),
    "origin.detail.certificate": ("Certificate of origin", "원산지증명서 보기"),
    # ---- registering -----------------------------------------------------------------------------------
    "origin.register.title": ("Register a certificate", "원산지증명서 등록"),
    "origin.register.intro": (
        "Register the certificate before filing the declaration that claims the preference: upload its "
        "document, or give the electronic certificate (e-CO) received from the exporting country.",
        "협정세율을 신청하는 신고 전에 원산지증명서를 등록하세요. 서류를 올리거나 수출국에서 받은 전자 "
        "원산지증명서(e-CO)를 입력합니다.",
    ),
    "origin.register.upload": ("Upload the document", "서류 올리기"),
    "origin.register.upload_hint": (
        "A PDF or a scan (PNG, JPEG, TIFF), at most 10 MB. A scan is read by OCR; fields read with low "
        "confidence are shown for you to confirm or correct.",
        "PDF 또는 스캔 파일(PNG, JPEG, TIFF), 최대 10MB. 스캔본은 문자인식으로 판독하며, 신뢰도가 낮은 "
        "항목은 확인하거나 고칠 수 있도록 표시됩니다.",
    ),
    "origin.register.file": ("Document", "서류 파일"),
    "origin.register.kept": (
        "{name} is kept: confirm the fields below and register it again.",
        "{name} 파일을 보관 중입니다. 아래 항목을 확인한 뒤 다시 등록하세요.",
    ),
    "origin.register.agreement_read": ("Read it from the document", "서류에서 판독"),
    "origin.register.reference_hint": (
        "Leave it empty to use the number read from the document.",
        "비워 두면 서류에서 판독한 번호를 사용합니다.",
    ),
    "origin.register.read": ("What was read", "판독 결과"),
    "origin.register.confirm_intro": (
        "The highlighted fields were read with low confidence: check each against the document, correct it "
        "if needed, and register again.",
        "강조 표시된 항목은 판독 신뢰도가 낮습니다. 원본과 대조해 필요하면 고친 뒤 다시 등록하세요.",
    ),
    "origin.register.missing": ("Not found in the document", "서류에서 찾지 못한 항목"),
    "origin.register.upload_submit": ("Read and register", "판독 후 등록"),
    "origin.register.eco": ("Electronic certificate (e-CO)", "전자 원산지증명서(e-CO)"),
    "origin.register.eco_hint": (
        "The certificate's data as JSON, as exchanged between authorities (Korea–China, Korea–ASEAN): paste "
        "it or choose its file. Every field is checked before anything is stored.",
        "기관 간 교환되는 증명서 자료(한-중, 한-아세안)를 JSON으로 붙여넣거나 파일을 선택하세요. 저장 전 "
        "모든 항목을 검사합니다.",
    ),
    "origin.register.eco_json": ("e-CO data (JSON)", "e-CO 자료(JSON)"),
    "origin.register.eco_file": ("or its file", "또는 파일"),
    "origin.register.eco_submit": ("Register the e-CO", "e-CO 등록"),
    # ---- verification cases -----------------------------------------------------------------------------
    "origin.cases.title": ("Origin verification cases", "원산지 검증 요청"),
    "origin.cases.intro": (
        "Requests to the exporting country's authority to verify a certificate of origin (FTA 관세특례법 "
        "제19조), from opening to the answer and its consequence.",
        "수출국 발급기관에 대한 원산지증빙서류 확인요청(FTA 관세특례법 제19조)의 요청부터 회신, 그 "
        "결과까지입니다.",
    ),
    "origin.cases.not_closed": ("Not closed", "진행 중"),
    "origin.cases.empty": ("No verification case here.", "해당하는 검증 요청이 없습니다."),
    "origin.cases.none_for_certificate": (
        "No verification was requested for this certificate.",
        "이 증명서에 대한 검증 요청이 없습니다.",
    ),
    "origin.cases.back": ("Back to the verification cases", "검증 요청 목록으로"),
    "origin.case.title": ("Verification case {id}", "검증 요청 {id}"),
    "origin.case.status.open": ("Open", "요청 준비"),
    "origin.case.status.sent": ("Sent to the authority", "발급기관에 요청함"),
    "origin.case.status.answered": ("Answered", "회신 접수"),
    "origin.case.status.closed": ("Closed", "종결"),
    "origin.case.result.confirmed": ("Confirmed", "원산지 확인"),
    "origin.case.result.denied": ("Denied", "원산지 부인"),
    "origin.case.request": (
        "Request verification from the exporting authority",
        "수출국 발급기관에 검증 요청",
    ),
    "origin.case.request_intro": (
        "When you doubt a certificate, ask the authority of the exporting country to verify it. The request "
        "is tracked as a case; a denial withdraws the certificate and re-assesses the declarations using it.",
        "증명서가 의심되면 수출국 발급기관에 확인을 요청하세요. 요청은 검증 건으로 관리되며, 부인 회신 시 "
        "증명서 효력이 상실되고 이를 사용한 신고는 직권으로 재산정됩니다.",
    ),
    "origin.case.certificate_id": ("Certificate (record number)", "증명서 (등록번호)"),
    "origin.case.declaration_id": ("Declaration (record number, optional)", "수입신고 (등록번호, 선택)"),
    "origin.case.line_number": ("Line (optional)", "란번호 (선택)"),
    "origin.case.grounds": ("Reason for doubt", "검증 사유"),
    "origin.case.questions": ("Questions to the authority", "발급기관에 대한 질의"),
    "origin.case.questions_hint": ("One question a line.", "한 줄에 질의 하나씩 입력하세요."),
    "origin.case.open": ("Open the case", "검증 요청 생성"),
    "origin.case.opened_at": ("Opened", "요청 생성"),
    "origin.case.certificate": ("Certificate", "원산지증명서"),
    "origin.case.asked": ("Asked of the authority", "발급기관 질의 내용"),
    "origin.case.asked_default": (
        "Whether the certificate is genuine and the goods originate as certified.",
        "증명서의 진위와 물품이 증명된 대로 원산지 물품인지 여부.",
    ),
    "origin.case.sent": ("Sent", "요청 발송"),
    "origin.case.answer": ("Answer", "회신"),
    "origin.case.closed": ("Closed", "종결"),
    "origin.case.consequence": ("Consequence", "처리 결과"),
    "origin.case.kept": (
        "The origin is confirmed: the preference is kept.",
        "원산지가 확인되어 협정세율 적용이 유지됩니다.",
    ),
    "origin.case.reassessed": (
        "The origin is denied: the certificate is withdrawn and the duty re-assessed at the rate without "
        "preference (ex officio amendment, 직권경정).",
        "원산지가 부인되어 증명서 효력이 상실되고, 협정세율 없이 세액을 직권경정했습니다.",
    ),
    "origin.case.yours.kept": (
        "the origin is confirmed: the preference is kept",
        "원산지 확인: 협정세율 적용 유지",
    ),
    "origin.case.yours.withdrawn": (
        "the origin is denied: the certificate is withdrawn.",
        "원산지 부인: 증명서 효력이 상실되었습니다.",
    ),
    "origin.case.yours.reassessed": (
        "This declaration was re-assessed without the preference as version {version}.",
        "이 신고는 협정세율 없이 {version}차로 재산정되었습니다.",
    ),
    "origin.case.yours.to_recover": (
        "This declaration was already paid: customs will recover the difference after clearance.",
        "이 신고는 이미 납부되어 통관 후 차액이 추징됩니다.",
    ),
    "origin.case.new_version": ("re-assessed as version {version}", "{version}차로 재산정"),
    "origin.case.now_due": ("now due", "납부할 세액"),
    "origin.case.to_recover": (
        "Already paid: recover the duty after clearance (사후 추징):",
        "이미 납부된 신고: 통관 후 추징 대상입니다.",
    ),
    "origin.case.notice.opened": ("The verification case was opened.", "검증 요청 건이 생성되었습니다."),
    "origin.case.notice.sent": (
        "Recorded as sent to the authority.",
        "발급기관에 요청한 것으로 기록했습니다.",
    ),
    "origin.case.notice.answered": (
        "The authority's answer was recorded.",
        "발급기관의 회신을 기록했습니다.",
    ),
    "origin.case.notice.closed": ("The case was closed.", "검증 건을 종결했습니다."),
    "origin.case.send_title": ("Record the request as sent", "요청 발송 기록"),
    "origin.case.sent_reference": ("Reference of the request sent", "발송 문서번호"),
    "origin.case.send_submit": ("Record as sent", "발송 기록"),
    "origin.case.answer_title": ("Record the authority's answer", "발급기관 회신 기록"),
    "origin.case.answer_result": ("The authority", "발급기관 회신"),
    "origin.case.denial_warning": (
        "A denial withdraws the certificate and re-assesses every declaration still drawing on it.",
        "부인 회신을 기록하면 증명서 효력이 상실되고 이를 사용한 모든 신고가 재산정됩니다.",
    ),
    "origin.case.answer_text": ("What the authority answered", "회신 내용"),
    "origin.case.answer_submit": ("Record the answer", "회신 기록"),
    "origin.case.close_title": ("Close the case", "검증 건 종결"),
    "origin.case.close_note": ("Note (optional)", "메모 (선택)"),
    "origin.case.close_submit": ("Close the case", "종결"),
}
