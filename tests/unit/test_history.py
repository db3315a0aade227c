"""core/history.py: the two shapes of history entry the modules share, with their tables kept."""

from __future__ import annotations

import datetime as dt

from yuanqu.core.history import LogEntry, StepEntry, furthest_step
from yuanqu.investment.models import STAGE_ORDER, LeadEvent, LeadStage
from yuanqu.land.models import STATUS_ORDER, ParcelEvent
from yuanqu.service_requests.models import RequestEvent
from yuanqu.supervision.models import TaskUpdate


def test_the_four_history_models_share_the_bases_and_keep_their_tables() -> None:
    for model, base, table in [
        (RequestEvent, LogEntry, "service_requests_requestevent"),
        (TaskUpdate, LogEntry, "supervision_taskupdate"),
        (LeadEvent, StepEntry, "investment_leadevent"),
        (ParcelEvent, StepEntry, "land_parcelevent"),
    ]:
        assert issubclass(model, base) and model._meta.db_table == table
        assert model._meta.get_field(model.parent_field).many_to_one
    # Each keeps its own choices where the base declares the field without any.
    assert RequestEvent._meta.get_field("kind").choices[0] == ("reply", "答复")
    assert TaskUpdate._meta.get_field("kind").choices[0] == ("created", "交办")
    assert TaskUpdate._meta.get_field("old_deadline").null


def test_entries_read_in_chinese() -> None:
    assert str(RequestEvent(kind="reply", on=dt.date(2024, 3, 1))) == "答复 2024-03-01"
    assert str(TaskUpdate(kind="close", on=dt.date(2024, 3, 2))) == "销号 2024-03-02"
    event = ParcelEvent(status="sold", date=dt.date(2024, 3, 3))
    event.parcel = ParcelEvent._meta.get_field("parcel").related_model(code="P1", name="东区")
    assert str(event) == "P1 东区 已出让 2024-03-03"


def test_furthest_step_follows_the_lifecycle_order() -> None:
    assert furthest_step([], STATUS_ORDER) == STATUS_ORDER[0]
    assert furthest_step(["sold", "agreement", "listed"], STATUS_ORDER) == "sold"
    # A step outside the order (终止) is left to the caller.
    assert furthest_step([LeadStage.TERMINATED], STAGE_ORDER) == STAGE_ORDER[0]
