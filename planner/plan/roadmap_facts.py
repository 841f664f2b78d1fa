"""Why a roadmap move happens *then*: typed facts, no words (planner/render/wording.py words
them). Each names the period of the move and what decided its timing."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Timing(_Fact):
    """The timing of one workload's change in one wave.

    codes: 'contract_ended' (its contract on `place` ended on `day`); 'lapses' (`place` may no
    longer take it from this period: a qualification lapses, a rule takes effect, a contract
    ends without renewal; `day` is the period's last day, `detail` the refusal); 'closes'
    (`place`, a site, closes on `day`); 'waited_for_block' (it goes to `place`, where `block`
    ordered in period `ordered_in` with a lead of `lead_months` became usable now);
    'held_back_budget' (an earlier year's `budget` — 'opex', 'capex' or 'migration' — of
    `year` was spent to its limit); 'held_back_wave' (an earlier wave was full: `limit` moves);
    'arrives' (a new workload starts); 'retires'; 'best_then' (the cheapest timing)."""

    code: Literal[
        "contract_ended",
        "lapses",
        "closes",
        "waited_for_block",
        "held_back_budget",
        "held_back_wave",
        "arrives",
        "retires",
        "best_then",
    ]
    period: str
    place: str | None = None
    day: str | None = None
    detail: str | None = None
    block: str | None = None
    ordered_in: str | None = None
    lead_months: int | None = None
    budget: str | None = None
    year: int | None = None
    limit: float | None = None
