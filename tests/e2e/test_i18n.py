"""Every word the portal shows exists in English and Korean."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from clearway.declaration.decisions import DecisionKind, Finding
from clearway.declaration.lifecycle import Action, Lane, Status
from clearway.declaration.release_time import STAGES
from clearway.identity.core import Role
from clearway.web import i18n
from clearway.web.pages import TEMPLATES_DIR
from clearway.web.pages.views import QUEUE_STAGES

PAGES_DIR = Path(i18n.__file__).parent / "pages"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_\-]+)+)["']""")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SAME_IN_BOTH = {"app.name", "common.none"}


def _sources() -> list[Path]:
    return [*TEMPLATES_DIR.rglob("*.html"), *PAGES_DIR.glob("*.py")]


def test_every_key_the_pages_name_has_both_languages():
    used = {key for path in _sources() for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 100
    assert sorted(used - set(i18n.STRINGS)) == []


def test_every_status_lane_step_stage_finding_and_role_has_words():
    keys = (
        [f"status.{s.value}" for s in Status]
        + [f"lane.{lane.value}" for lane in Lane]
        + [f"lane_desc.{lane.value}" for lane in Lane]
        + [f"action.{a.value}" for a in Action]
        + [f"stage.{name}" for name, _, _ in STAGES]
        + [f"finding.{f.value}" for f in Finding]
        + [f"decide.{k.value}" for k in DecisionKind]
        + [f"role.{r.value}" for r in Role]
        + [f"queue.stage.{s}" for s in QUEUE_STAGES]
        + ["kind.import", "kind.export"]
    )
    assert [k for k in keys if k not in i18n.STRINGS] == []


def test_korean_strings_are_korean_and_placeholders_match():
    for key, (en, ko) in i18n.STRINGS.items():
        assert en.strip() and ko.strip(), key
        if key not in SAME_IN_BOTH:
            assert HANGUL.search(ko), f"{key}: {ko!r} has no Korean"
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", ko)), key


def test_domain_words_follow_the_glossary():
    t = i18n.translator("ko")
    assert t("lane.red") == "적색" and t("lane_desc.red") == "물품검사"
    assert t("detail.customs_value") == "과세가격" and t("detail.lane") == "검사구분"
    assert t("status.accepted") == "수리" and t("status.released") == "반출"
    assert t("new.title").startswith("수입/수출신고")


@given(
    query=st.sampled_from([None, "", "ko", "en", "fr", "KO"]),
    cookie=st.sampled_from([None, "ko", "en", "x"]),
    header=st.text(max_size=40),
)
def test_the_language_is_always_one_we_have_and_an_explicit_choice_wins(query, cookie, header):
    chosen = i18n.negotiate(query, cookie, header)
    assert chosen in i18n.LANGUAGES
    if query in i18n.LANGUAGES:
        assert chosen == query
    elif cookie in i18n.LANGUAGES:
        assert chosen == cookie


def test_the_browsers_preference_is_read_with_its_weights():
    assert i18n.negotiate(None, None, "ko-KR,ko;q=0.9,en-US;q=0.8") == "ko"
    assert i18n.negotiate(None, None, "fr;q=1.0, en;q=0.5, ko;q=0.7") == "ko"
    assert i18n.negotiate(None, None, "de, fr") == i18n.DEFAULT_LANGUAGE
    assert i18n.translator("xx")("nav.logout") == "Sign out"
    assert i18n.translator("ko")("no.such.key") == "no.such.key"


def test_every_origin_status_channel_field_and_case_step_has_words():
    from clearway.origin.cases import CASE_STEPS
    from clearway.web.pages.certificates import NOTICES as CERTIFICATE_NOTICES
    from clearway.web.pages.origin_cases import NOTICES
    from clearway.web.pages.origin_views import FIELDS

    statuses = {s for pair in CASE_STEPS.values() for s in pair}
    keys = (
        [f"origin.case.status.{s}" for s in sorted(statuses)]
        + [f"origin.case.result.{r}" for r in ("confirmed", "denied")]
        + [f"origin.case.notice.{n}" for n in NOTICES]
        + [f"origin.notice.{n}" for n in CERTIFICATE_NOTICES]
        + [f"origin.status.{s}" for s in ("registered", "withdrawn")]
        + [f"origin.channel.{c}" for c in ("fields", "document", "electronic")]
        + [f"origin.field.{f}" for f in FIELDS]
    )
    assert [k for k in keys if k not in i18n.STRINGS] == []
