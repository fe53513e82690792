"""Decision receipts in the shell: read a declaration's receipt (the filer's or customs' view), verify one, and
replay a declaration — recompute its duty and its risk score from the inputs its receipt names and say whether
they are the same, or exactly what changed since.

Replay:

* **duty** — the assessment step runs again on the version's content and filing date, with the certificate
  verdicts the receipt recorded (the verification is an input, not re-decided), against the tariff as it is now;
  the fingerprints of the rates of each code, the parameters and the exchange rates show whether the data is
  the one used at filing, and every figure is compared;
* **risk score** — the exact model version the receipt names is loaded from the registry (its file digest
  must match), scores the input records the selection log kept (their fingerprint must match the receipt's)
  and the score and the model's lane under the recorded thresholds are compared; then what changed since is
  shown: another promoted model (and the score it would give), criteria at a new version.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clearway.assessment.preference import PreferenceVerdict, PreferenceVerifier, Sees
from clearway.assessment.step import TariffAssessment
from clearway.declaration.content import DeclarationContent, GoodsItem
from clearway.declaration.service import DeclarationService
from clearway.declaration.steps import FilingContext
from clearway.errors import ClearwayError, NotFound
from clearway.identity.core import Principal, Scope
from clearway.receipts import core
from clearway.risk import repository as risk_repo
from clearway.risk.records import RiskRecord
from clearway.risk.registry import registry_for
from clearway.risk.selection import Thresholds


def receipt_of(
    service: DeclarationService,
    session: Session,
    principal: Principal,
    declaration_id: int,
    version: int | None = None,
) -> dict[str, Any]:
    """A version's receipt as its reader may see it: customs whole, a filer without the confidential part."""
    filing = service.get(session, principal, declaration_id, version)
    receipt = filing.version.receipt
    if receipt is None:
        raise NotFound(
            f"declaration {declaration_id} version {filing.version.version} has no decision receipt "
            "(filed before receipts were issued)"
        )
    shown = receipt if principal.is_customs else core.filer_view(receipt)
    assert shown is not None
    return shown


def keyring(key: core.SigningKey) -> dict[str, core.SigningKey]:
    """The keys a receipt may be signed with, by id: the current one (an older key is added here to rotate)."""
    return {key.kid: key}


def verify(receipt: Any, key: core.SigningKey) -> core.Verification:
    return core.verify(receipt, keyring(key))


# ---- replay ---------------------------------------------------------------------------------------------------
class RecordedVerdicts(PreferenceVerifier):
    """The certificate verdicts the receipt recorded, line by line."""

    def __init__(self, lines: list[dict[str, Any]]) -> None:
        self.by_line = {ln["line_number"]: ln.get("preference") for ln in lines}

    def verify(
        self,
        session: Session | None,
        content: DeclarationContent,
        item: GoodsItem,
        on: date,
        sees: Sees | None = None,
    ) -> PreferenceVerdict:
        recorded = self.by_line.get(item.line_number) or {}
        return PreferenceVerdict(bool(recorded.get("granted")), list(recorded.get("reasons") or []))


@dataclass
class Replay:
    declaration_id: int
    number: str
    version: int
    checks: list[core.Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be replayed

    @property
    def identical(self) -> bool:
        return not self.problems and all(c.same for c in self.checks)

    @property
    def differences(self) -> list[str]:
        return self.problems + core.explain(self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "declaration_id": self.declaration_id,
            "number": self.number,
            "version": self.version,
            "identical": self.identical,
            "checks": [c.as_dict() for c in self.checks],
            "differences": self.differences,
            "notes": self.notes,
        }


def replay(
    service: DeclarationService,
    session: Session,
    principal: Principal,
    declaration_id: int,
    *,
    key: core.SigningKey,
    models_dir: Path,
    version: int | None = None,
) -> Replay:
    """Recompute a declaration version's duty and risk score from what its receipt names (customs only)."""
    principal.require_scope(Scope.RISK_READ)
    filing = service.get(session, principal, declaration_id, version)
    row = filing.version
    receipt = row.receipt
    if receipt is None:
        raise NotFound(f"declaration {declaration_id} version {row.version} has no decision receipt")
    content = receipt["content"]
    out = Replay(declaration_id, content["declaration"]["number"], row.version)
    verdict = verify(receipt, key)
    out.checks.append(
        core.Check("receipt", "signature", "valid", "valid" if verdict.valid else verdict.reason)
    )
    out.checks.append(
        core.Check(
            "receipt",
            "declaration content",
            content["declaration"]["content_fingerprint"],
            core.digest(row.content),
        )
    )
    _replay_duty(session, out, filing.declaration.filer_company_id, row.content, content)
    _replay_risk(session, out, declaration_id, row.version, receipt, models_dir)
    return out


def _replay_duty(
    session: Session, out: Replay, filer: int | None, document: dict[str, Any], receipt: dict[str, Any]
) -> None:
    recorded = receipt["assessment"]
    declaration = receipt["declaration"]
    parsed = DeclarationContent.model_validate(document)
    step = TariffAssessment(RecordedVerdicts(list(recorded.get("lines") or [])))
    context = FilingContext(
        declaration["id"], declaration["version"], date.fromisoformat(declaration["filed_on"]), filer
    )
    now = step.assess(session, parsed, context)
    if "lines" in recorded and now.inputs is not None:
        out.checks += core.compare_tariff(recorded, now.inputs)
    else:
        out.notes.append(f"no tariff inputs recorded ({recorded.get('engine')}); only the total is compared")
        out.checks.append(
            core.Check(
                "duty", "total due (KRW)", recorded.get("total_due_krw"), core.money(now.total_due_krw)
            )
        )


def _replay_risk(
    session: Session,
    out: Replay,
    declaration_id: int,
    version: int,
    receipt: dict[str, Any],
    models_dir: Path,
) -> None:
    public, confidential = receipt["content"]["risk"], receipt.get("confidential") or {}
    recorded_model = public.get("model")
    promoted = risk_repo.promoted_model(session)
    if recorded_model is None:
        out.notes.append(
            "no risk model scored this declaration: "
            + str(confidential.get("model_problem") or public.get("method") or "lane without a model")
        )
        out.checks.append(core.Check("risk", "score", confidential.get("score"), None))
    else:
        logged = risk_repo.decision(session, declaration_id, version)
        if logged is None:
            out.problems.append("the selection log kept no model input for this version")
            return
        records = [RiskRecord.from_dict(r) for r in logged.records]
        out.checks.append(
            core.Check(
                "risk",
                "model input",
                confidential.get("records_fingerprint"),
                core.digest([r.as_dict() for r in records]),
            )
        )
        name = recorded_model["version"]
        model_row = risk_repo.model_version(session, name)
        if model_row is None:
            out.problems.append(f"risk model {name} is no longer registered")
            return
        out.checks.append(
            core.Check("risk", f"model {name} file", recorded_model.get("file_sha256"), model_row.file_sha256)
        )
        try:
            loaded = registry_for(models_dir).load(
                model_row.version, model_row.file_name, model_row.file_sha256
            )
        except ClearwayError as exc:
            out.problems.append(f"risk model {name} cannot be loaded: {exc.detail}")
            return
        out.checks.append(
            core.Check(
                "risk",
                f"model {name} training data",
                recorded_model.get("training_data_fingerprint"),
                loaded.fingerprint,
            )
        )
        score = float(loaded.model.score(records).max()) if records else None
        out.checks.append(core.Check("risk", "score", confidential.get("score"), score))
        limits = confidential.get("thresholds")
        if limits and score is not None and confidential.get("score") is not None:
            thresholds = Thresholds(_bound(limits.get("red")), _bound(limits.get("yellow")), limits["source"])
            out.checks.append(
                core.Check(
                    "risk",
                    "model lane (recorded thresholds)",
                    thresholds.lane_for(confidential["score"]).value,
                    thresholds.lane_for(score).value,
                )
            )
        if promoted is not None and promoted.version != name:
            out.checks.append(
                core.Check("risk", "promoted model", name, promoted.version, "the model scoring new filings")
            )
            try:
                serving = registry_for(models_dir).load(
                    promoted.version, promoted.file_name, promoted.file_sha256
                )
                now_score = float(serving.model.score(records).max()) if records else None
                out.notes.append(f"risk model now {promoted.version}: the score would be {now_score}")
            except ClearwayError as exc:
                out.notes.append(f"risk model now {promoted.version}, which cannot be loaded ({exc.detail})")
    if recorded_model is None and promoted is not None:
        out.notes.append(f"risk model now {promoted.version} (none scored this declaration)")
    in_force = {c.code: v.version for c, v in risk_repo.current_criteria(session)}
    for hit in confidential.get("criteria") or []:
        code = hit.get("code")
        if code is not None:
            out.checks.append(
                core.Check("risk", f"criterion {code} version", hit.get("version"), in_force.get(code))
            )


def _bound(value: float | None) -> float:
    return math.inf if value is None else float(value)
