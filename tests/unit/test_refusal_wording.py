"""A refusal's sentence, kept in English by the plan (planner.candidates.eligibility), is worded
again in the render's language: every sentence of its tables, with any field values, reads back
into its fields; English stays byte for byte; an unknown sentence stays as it is."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from planner.candidates.eligibility import (
    CLAUSES_JOIN,
    FAILURES,
    FAILURES_JOIN,
    REFUSALS,
    UNPRICED,
)
from planner.plan.facts import CurrentRefused, Retired
from planner.plan.roadmap_facts import Timing
from planner.render.i18n import _, speaking
from planner.render.wording import _by_reason, reason_text, refusal_text, timing_text

# field values as the catalogs have them: ids, dates, numbers, zone lists
VALUES = st.text(alphabet=string.ascii_letters + string.digits + "-_./", min_size=1, max_size=12)


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


@given(st.data())
def test_every_failure_reads_back_in_french(data: st.DataObject) -> None:
    for template in FAILURES.values():
        fields = {name: data.draw(VALUES) for name in _fields(template)}
        sentence = template.format(**fields)
        policy = REFUSALS["policy"].format(data_class="c", why=sentence)
        assert refusal_text(policy) == policy
        with speaking("fr"):
            assert refusal_text(policy) == _(
                REFUSALS["policy"], data_class="c", why=_(template, **fields)
            )


@given(st.data())
def test_every_refusal_reads_back_in_french(data: st.DataObject) -> None:
    expired = FAILURES["expired"].format(name="hds", day="2027-11-30")
    unpriced = UNPRICED.format(resources="gpu")
    for template in REFUSALS.values():
        fields = {name: data.draw(VALUES) for name in _fields(template)}
        fields.update({k: v for k, v in (("why", expired), ("unpriced", unpriced)) if k in fields})
        sentence = template.format(**fields)
        assert refusal_text(sentence) == sentence
        with speaking("fr"):
            nested = {"why": _(FAILURES["expired"], name="hds", day="2027-11-30")}
            nested["unpriced"] = _(UNPRICED, resources="gpu")
            expected = _(template, **{k: nested.get(k, v) for k, v in fields.items()})
            assert refusal_text(sentence) == expected != sentence


def test_a_policy_refusal_of_two_clauses_in_french() -> None:
    why = CLAUSES_JOIN.join(
        [
            FAILURES["not_internal"],
            FAILURES_JOIN.join(
                [
                    FAILURES["no_qualification"].format(name="secnumcloud"),
                    FAILURES["jurisdiction"].format(country="US", zone="non-EU", zones="EU"),
                ]
            ),
        ]
    )
    sentence = REFUSALS["policy"].format(data_class="sensitive", why=why)
    with speaking("fr"):
        assert refusal_text(sentence) == (
            "classe de données « sensitive » : pas un cloud interne de l'État | aucune "
            "qualification secnumcloud; sous juridiction US (non-EU), exige EU"
        )
        member = refusal_text(f"w-1: {REFUSALS['excluded']}")
        assert member == "w-1: exclu par l'entrée de la charge dans le catalogue"
        assert refusal_text("a sentence of no table") == "a sentence of no table"


def test_the_plan_sentences_that_quote_a_refusal() -> None:
    refusal = REFUSALS["policy"].format(
        data_class="health", why=FAILURES["expired"].format(name="hds", day="2027-11-30")
    )
    refused = CurrentRefused(current="azure", refusal=refusal, then=Retired())
    lapses = Timing(
        code="lapses", period="2027-Q4", place="azure", day="2027-12-31", detail=refusal
    )
    by_place = {"pi": refusal, "nubo": refusal, "msociaux": REFUSALS["no_24_7"]}
    assert refusal in reason_text(refused) and refusal in timing_text(lapses)
    assert _by_reason(by_place) == (
        "data class 'health': hds expired on 2027-11-30 (pi, nubo); "
        "workload needs 24/7 operation; this place is not operated 24/7 (msociaux)"
    )
    with speaking("fr"):
        french = "classe de données « health » : hds a expiré le 2027-11-30"
        assert french in reason_text(refused) and french in timing_text(lapses)
        assert _by_reason(by_place).startswith(f"{french} (pi, nubo); la charge doit être")
