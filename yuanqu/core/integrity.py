"""Find, and set aside, stored values the code cannot read (`yuanqu check-data`).

A database written before amounts were checked (or by hand, or by another program) may hold
a value its column cannot: SQLite stores ``1e30`` in a ``DecimalField(20, 4)`` without a word,
and every later read of that row fails. The scan is generic — every DecimalField of every
installed model, found through the app registry — and reads each column **as text with raw
SQL**, since the ORM cannot read a poisoned value at all. Reporting periods (models with
``year`` and ``month`` fields; month 0 is a whole-year slice, whose year is a plan year) are
held to the window of `core.periods.period_window`.

`quarantine` moves each bad value into `QuarantinedValue` and sets the column to NULL; a bad
value in a NOT NULL column, and a row whose period is outside the window, delete the row
(kept whole in the quarantine): such a row cannot be repaired in place, and left alone it
breaks every page that reads its park-period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from yuanqu.core.bulk import column_name
from yuanqu.core.models import QuarantinedValue
from yuanqu.core.numbers import DecimalLimits, NumberError, fit_decimal
from yuanqu.core.periods import Period, period_window

__all__ = ["Problem", "find_problems", "quarantine"]


@dataclass
class Problem:
    """One stored value the code cannot read, located as `check-data` reports it."""

    kind: str  # "amount" | "period"
    model: str  # app_label.ModelName
    table: str
    pk: str
    field: str
    column: str
    value: str  # as the database holds it, read as text
    park: str  # the owning park's code, when the model has one
    problem: str  # Chinese
    nullable: bool
    fixed: bool = False
    fix: str = ""  # what --fix did: 已置空 / 已删除整行 / why it could not

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        opts = model._meta
        if opts.managed and not opts.proxy and model is not QuarantinedValue:
            yield model


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _as_text(column: str) -> str:
    return f"CAST({_q(column)} AS TEXT)"


def _park_lookup(model: type[models.Model]) -> tuple[str | None, Callable[[Any], str]]:
    """The column naming a row's park (its own pk for Park, `park`, else `enterprise`) and a
    function from that column's value to the park's code. Only codes are read, never amounts."""
    from yuanqu.registry.models import Enterprise, Park

    if model is Park:
        codes = dict(Park.objects.values_list("pk", "code"))
        return model._meta.pk.column, lambda v: codes.get(v, "")
    names = {f.name: f for f in model._meta.concrete_fields}
    park = names.get("park")
    if isinstance(park, models.ForeignKey) and park.related_model is Park:
        codes = dict(Park.objects.values_list("pk", "code"))
        return park.column, lambda v: codes.get(v, "")
    enterprise = names.get("enterprise")
    if isinstance(enterprise, models.ForeignKey) and enterprise.related_model is Enterprise:
        owners = dict(Enterprise.objects.values_list("pk", "park__code"))
        return enterprise.column, lambda v: owners.get(v, "")
    return None, lambda v: ""


def _unreadable(text: str, limits: DecimalLimits) -> str | None:
    """Why the text of a stored decimal cannot be read back into its field, or None."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return f"“{text}”不是数字"
    try:
        fit_decimal(number, limits, shown=text)
    except NumberError as exc:
        return str(exc)
    return None


def _amount_candidates(
    table: str, pk: str, column: str, extra: str | None, bound: Decimal
) -> Iterator[tuple[Any, ...]]:
    """Rows whose value might not fit, found by the database (the rest are never read)."""
    select = f"SELECT {_q(pk)}, {_as_text(column)}, {_q(extra) if extra else 'NULL'}"
    where = f"{_q(column)} IS NOT NULL"
    params: list[Any] = []
    if connection.vendor == "sqlite":
        # Text that did not convert, infinities and anything at or past the bound (compared
        # as REAL: the few rows near the bound are checked exactly below).
        where += (
            f" AND (typeof({_q(column)}) NOT IN ('integer', 'real')"
            f" OR {_q(column)} >= %s OR {_q(column)} <= %s)"
        )
        params = [float(bound), -float(bound)]
    elif connection.vendor == "postgresql":
        where += f" AND ({_q(column)} = 'NaN'::numeric OR {_q(column)} >= %s OR {_q(column)} <= %s)"
        params = [bound, -bound]
    with connection.cursor() as cursor:
        cursor.execute(f"{select} FROM {_q(table)} WHERE {where}", params)
        yield from cursor.fetchall()


def find_problems() -> list[Problem]:
    """Every unreadable amount and every reporting period outside the window, in every model."""
    found: list[Problem] = []
    low, high = period_window()
    for model in _models():
        opts = model._meta
        park_column, park_code = _park_lookup(model)
        for field in opts.local_concrete_fields:
            limits = DecimalLimits.of(field) if isinstance(field, models.DecimalField) else None
            if limits is None:
                continue
            rows = _amount_candidates(
                opts.db_table, column_name(opts.pk), column_name(field), park_column, limits.bound
            )
            for pk, text, owner in rows:
                why = _unreadable(str(text), limits)
                if why:
                    found.append(
                        Problem(
                            "amount",
                            opts.label,
                            opts.db_table,
                            str(pk),
                            field.name,
                            column_name(field),
                            str(text),
                            park_code(owner),
                            why,
                            field.null,
                        )
                    )
        names = {f.name: f for f in opts.local_concrete_fields}
        year, month = names.get("year"), names.get("month")
        if isinstance(year, models.IntegerField) and isinstance(month, models.IntegerField):
            found.extend(_period_problems(model, year, month, park_column, park_code, low, high))
    return found


def _period_problems(
    model: type[models.Model],
    year: models.IntegerField[Any, Any],
    month: models.IntegerField[Any, Any],
    park_column: str | None,
    park_code: Callable[[Any], str],
    low: Period,
    high: Period,
) -> Iterator[Problem]:
    opts = model._meta
    y, m = _q(column_name(year)), _q(column_name(month))
    sql = (
        f"SELECT {_q(column_name(opts.pk))}, {y}, {m}, {_q(park_column) if park_column else 'NULL'} "
        f"FROM {_q(opts.db_table)} WHERE {m} <> 0 AND ({m} < 1 OR {m} > 12 "
        f"OR {y} * 100 + {m} < %s OR {y} * 100 + {m} > %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [low.year * 100 + low.month, high.year * 100 + high.month])
        rows = cursor.fetchall()
    for pk, year_value, month_value, owner in rows:
        text = f"{year_value}-{int(month_value):02d}"
        yield Problem(
            "period",
            opts.label,
            opts.db_table,
            str(pk),
            "year/month",
            f"{year.column}/{month.column}",
            text,
            park_code(owner),
            f"报告期 {text} 不在允许的范围内（{low} 至 {high}）",
            False,
        )


def _row_text(model: type[models.Model], pk: str) -> dict[str, str | None]:
    opts = model._meta
    columns = [column_name(f) for f in opts.concrete_fields]
    sql = (
        f"SELECT {', '.join(_as_text(c) for c in columns)} FROM {_q(opts.db_table)} "
        f"WHERE {_q(column_name(opts.pk))} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return dict(zip(columns, row, strict=True)) if row else {}


def _quarantine(problem: Problem, action: str, row: dict[str, str | None] | None = None) -> None:
    """Keep the value (and, for a deleted row, the whole row as text) before it is fixed."""
    QuarantinedValue.objects.create(
        model_label=problem.model,
        table=problem.table,
        object_pk=problem.pk,
        field=problem.field,
        raw=problem.value,
        problem=problem.problem,
        park=problem.park,
        action=action,
        **({"row": row} if row is not None else {}),
    )


def quarantine(problems: list[Problem]) -> None:
    """Set every problem aside (see the module's docstring); each in its own transaction, so
    one that cannot be fixed (a row others still refer to) leaves the rest fixed."""
    # Amounts first: a row deleted for its period must no longer hold a poisoned amount,
    # since deleting through the ORM may read it.
    for problem in sorted(problems, key=lambda p: p.kind != "amount"):
        model = apps.get_model(problem.model)
        opts = model._meta
        try:
            with transaction.atomic():
                if problem.kind == "amount" and problem.nullable:
                    _quarantine(problem, QuarantinedValue.Action.NULLED)
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {_q(opts.db_table)} SET {_q(problem.column)} = NULL "
                            f"WHERE {_q(column_name(opts.pk))} = %s",
                            [problem.pk],
                        )
                    problem.fix = "已置空"
                else:
                    row = _row_text(model, problem.pk)
                    if not row:
                        problem.fixed, problem.fix = True, "该行已随其他问题删除"
                        continue
                    _quarantine(problem, QuarantinedValue.Action.DELETED, row=row)
                    if problem.kind == "amount":
                        # The ORM cannot load the row; a raw DELETE, refused (and reported)
                        # when other rows still refer to it.
                        with connection.cursor() as cursor:
                            cursor.execute(
                                f"DELETE FROM {_q(opts.db_table)} WHERE {_q(column_name(opts.pk))} = %s",
                                [problem.pk],
                            )
                    else:
                        model._base_manager.filter(pk=problem.pk).delete()
                    problem.fix = "已删除整行（原值保存在隔离表）"
                problem.fixed = True
        except IntegrityError as exc:
            problem.fix = f"无法自动处理：仍有其他数据引用该行（{exc}）"
    # Values were nulled or rows deleted behind the write services: rebuild the summaries
    # (in one transaction) so the pages read what is left.
    if any(p.fixed for p in problems) and not any(
        p.kind == "amount" and not p.fixed for p in problems
    ):
        from yuanqu.core import summaries

        with transaction.atomic():
            summaries.rebuild()
