"""Import kinds of 企业诉求: `service-requests` (one row per request, keyed by 诉求编号 in the
park) and `benefits` (one row per payment: policy, enterprise, date, kind). Both need `--park`.

Importing twice changes nothing: rows are keyed, unchanged rows are counted as such. A request's
due date is computed from its category's time limit (never read from the file), and the history
gets one entry per request created. Messages name the sheet, row and column and say what to fix.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from yuanqu.core.numbers import NumberError
from yuanqu.imports.engine import FieldSpec, Preview, register
from yuanqu.imports.keyed import KeyedImporter, KeyedPlan, KeyedRow
from yuanqu.projects.importers import _AmountsMixin, _text
from yuanqu.registry.importers import parse_date
from yuanqu.registry.models import Department, Enterprise
from yuanqu.service_requests import formulas
from yuanqu.service_requests.models import (
    BenefitKind,
    BenefitPayment,
    Policy,
    PolicyLevel,
    RequestCategory,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from yuanqu.service_requests.services import holiday_overrides

STATUSES = {label: value for value, label in RequestStatus.choices}
KINDS = {label: value for value, label in BenefitKind.choices}
LEVELS = {label: value for value, label in PolicyLevel.choices}
LEVELS.update({"国家级": "national", "省级": "provincial", "市级": "municipal", "县级": "county"})


class _ServiceBase(KeyedImporter):
    write_area = "service"
    needs_park = True

    def park_or_error(self, record: Any, name: str) -> Any:
        if self.ctx.park is None:
            self.err(record, name, "未指定园区：请用 --park 指定，或在网页上选择园区")
        return self.ctx.park

    def date(self, record: Any, name: str, *, required: bool = False) -> dt.date | None:
        value = record.values.get(name)
        try:
            found = parse_date(value)
        except (ValueError, TypeError):
            self.err(
                record,
                name,
                f"日期“{record.values.get(name)}”无法识别或不存在：请写成 2023-03-06 或 2023年3月6日",
            )
            return None
        if found is None and required:
            self.err(record, name, "日期不能为空：请写成 2023-03-06")
        return found

    def enterprise(self, record: Any, name: str) -> Enterprise | None:
        code = _text(record.values.get(name)).upper()
        found = Enterprise.objects.filter(park=self.ctx.park, credit_code=code).first()
        if found is None:
            self.err(
                record,
                name,
                f"统一社会信用代码“{code}”不是本园区的企业：请先导入企业名录，或检查代码",
            )
        return found

    def department(self, record: Any, name: str) -> Department | None:
        text = _text(record.values.get(name))
        if not text:
            return None
        found = (
            Department.objects.filter(park=self.ctx.park, name=text).first()
            or Department.objects.filter(park=self.ctx.park, code=text).first()
        )
        if found is None:
            self.err(record, name, f"部门“{text}”不存在：请填本园区部门的名称或代码")
        return found


@register
class RequestImporter(_ServiceBase):
    """企业诉求台账: one request per row; status and dates as recorded."""

    kind = "service-requests"
    label = "企业诉求"
    model = ServiceRequest
    key_label = "诉求编号"
    fields = [
        FieldSpec("code", "诉求编号", ("编号",), required=True, example="SQ20230001"),
        FieldSpec(
            "credit_code",
            "统一社会信用代码",
            ("信用代码",),
            required=True,
            example="91350100M000100Y43",
        ),
        FieldSpec("category", "诉求类别", ("类别",), required=True, example="审批"),
        FieldSpec("title", "诉求标题", ("诉求事项", "标题"), required=True, example="环评批复办理"),
        FieldSpec("content", "诉求内容", ("内容",)),
        FieldSpec("received_on", "受理日期", ("提交日期",), required=True, example="2023-03-06"),
        FieldSpec("department", "承办部门", ("责任部门",), example="营商办"),
        FieldSpec("handler", "承办人", ()),
        FieldSpec("status", "状态", (), example="已办结", choices=tuple(RequestStatus.labels)),
        FieldSpec("closed_on", "办结日期", (), example="2023-03-15"),
        FieldSpec("satisfaction", "满意度", ("满意度(1-5)",), example="5"),
        FieldSpec("return_reason", "退回原因", ()),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        if self.park_or_error(record, "code") is None:
            return None
        code, title = _text(record.values.get("code")), _text(record.values.get("title"))
        if not code or not title:
            self.err(record, "code" if not code else "title", "诉求编号和诉求标题不能为空")
            return None
        enterprise = self.enterprise(record, "credit_code")
        name = _text(record.values.get("category"))
        category = RequestCategory.objects.filter(name=name).first()
        if category is None:
            names = "、".join(RequestCategory.objects.values_list("name", flat=True))
            self.err(record, "category", f"诉求类别“{name}”不存在：可选 {names}")
        received = self.date(record, "received_on", required=True)
        closed = self.date(record, "closed_on")
        department = self.department(record, "department")
        status_text = _text(record.values.get("status")) or (
            RequestStatus.CLOSED.label if closed else RequestStatus.RECEIVED.label
        )
        status = STATUSES.get(status_text)
        if status is None:
            self.err(record, "status", f"状态“{status_text}”不是可选值：{'、'.join(STATUSES)}")
        satisfaction = None
        text = _text(record.values.get("satisfaction"))
        if text:
            try:
                satisfaction = int(Decimal(text))
            except ArithmeticError:
                satisfaction = 0
            if not 1 <= satisfaction <= 5:
                self.err(record, "satisfaction", "满意度应为 1 到 5 的整数")
                return None
        if status in (RequestStatus.CLOSED, RequestStatus.RATED) and closed is None:
            self.err(record, "closed_on", "已办结的诉求须填写办结日期")
            return None
        if closed and received and closed < received:
            self.err(record, "closed_on", "办结日期不能早于受理日期")
            return None
        if status == RequestStatus.RETURNED and not _text(record.values.get("return_reason")):
            self.err(record, "return_reason", "退回的诉求须填写退回原因")
            return None
        if None in (enterprise, category, received, status):
            return None
        assert category is not None and received is not None
        values = {
            "enterprise": enterprise,
            "category": category,
            "title": title[:200],
            "content": _text(record.values.get("content")),
            "received_on": received,
            "due_on": formulas.due_date(
                received, category.limit_days, category.day_kind, self._holidays()
            ),
            "department": department,
            "handler": _text(record.values.get("handler"))[:64],
            "status": status,
            "closed_on": closed if status in (RequestStatus.CLOSED, RequestStatus.RATED) else None,
            "satisfaction": satisfaction,
            "return_reason": _text(record.values.get("return_reason")),
        }
        return KeyedRow(key=code, values=values, record=record)

    def _holidays(self) -> dict[dt.date, bool]:
        if not hasattr(self, "_holiday_cache"):
            self._holiday_cache = holiday_overrides()
        return self._holiday_cache

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {r.code: r for r in ServiceRequest.objects.filter(park=self.ctx.park, code__in=keys)}

    def build(self, row: KeyedRow) -> ServiceRequest:
        return ServiceRequest(park=self.ctx.park, code=row.key, **row.values)

    def apply(self, plan: KeyedPlan, preview: Preview, record: Any) -> None:
        super().apply(plan, preview, record)
        created = ServiceRequest.objects.filter(
            park=self.ctx.park, code__in=[r.key for r in plan.create]
        )
        RequestEvent.objects.bulk_create(
            [
                RequestEvent(
                    request=r,
                    kind=RequestEvent.Kind.STATUS,
                    status=r.status,
                    on=r.received_on,
                    text="导入",
                )
                for r in created
            ]
        )


@register
class BenefitImporter(_AmountsMixin, _ServiceBase):
    """惠企政策兑现: one payment per row (policy, enterprise, date, kind, 万元). A policy code
    not yet known is created from the row's name, level and department."""

    kind = "benefits"
    label = "惠企政策兑现"
    model = BenefitPayment
    key_label = "政策编号+统一社会信用代码+兑现日期+兑现方式"
    fields = [
        FieldSpec("policy_code", "政策编号", (), required=True, example="ZC2022001"),
        FieldSpec("policy_name", "政策名称", (), example="工业企业技术改造奖补"),
        FieldSpec(
            "policy_level", "政策层级", ("层级",), example="市", choices=tuple(PolicyLevel.labels)
        ),
        FieldSpec("policy_department", "兑现部门", (), example="经发局"),
        FieldSpec(
            "credit_code",
            "统一社会信用代码",
            ("信用代码",),
            required=True,
            example="91350100M000100Y43",
        ),
        FieldSpec("paid_on", "兑现日期", (), required=True, example="2022-06-30"),
        FieldSpec("kind", "兑现方式", ("类型",), example="奖补", choices=tuple(BenefitKind.labels)),
        FieldSpec("amount", "兑现金额", ("金额",), required=True, example="120", unit="万元"),
        FieldSpec("note", "备注", ()),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        if self.park_or_error(record, "policy_code") is None:
            return None
        policy_code = _text(record.values.get("policy_code"))
        if not policy_code:
            self.err(record, "policy_code", "政策编号不能为空")
            return None
        policy = Policy.objects.filter(park=self.ctx.park, code=policy_code).first()
        name = _text(record.values.get("policy_name"))
        if policy is None and not name:
            self.err(record, "policy_name", f"政策编号“{policy_code}”是新政策：请填写政策名称")
        level_text = _text(record.values.get("policy_level"))
        level = LEVELS.get(level_text, "") if level_text else PolicyLevel.PARK
        if not level:
            self.err(
                record,
                "policy_level",
                f"政策层级“{level_text}”不是可选值：{'、'.join(PolicyLevel.labels)}",
            )
        dept = self.department(record, "policy_department")
        enterprise = self.enterprise(record, "credit_code")
        paid = self.date(record, "paid_on", required=True)
        kind_text = _text(record.values.get("kind")) or BenefitKind.SUBSIDY.label
        kind = KINDS.get(kind_text)
        if kind is None:
            self.err(record, "kind", f"兑现方式“{kind_text}”不是可选值：{'、'.join(KINDS)}")
        try:
            amount = self.wan(record, "amount")
        except NumberError:
            return None
        if amount is None:
            self.err(record, "amount", "兑现金额不能为空（万元）")
            return None
        if amount < 0:
            self.err(record, "amount", "兑现金额不能为负数")
            return None
        if enterprise is None or paid is None or kind is None or not level:
            return None
        if policy is None and not name:
            return None
        return KeyedRow(
            key=f"{policy_code}:{enterprise.pk}:{paid.isoformat()}:{kind}",
            values={"amount": amount, "note": _text(record.values.get("note"))[:200]},
            record=record,
            extra={
                "policy_code": policy_code,
                "policy": {"name": name, "level": level, "department": dept},
                "enterprise": enterprise,
                "paid_on": paid,
                "kind": kind,
            },
        )

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {
            f"{p.policy.code}:{p.enterprise_id}:{p.paid_on.isoformat()}:{p.kind}": p
            for p in BenefitPayment.objects.filter(park=self.ctx.park).select_related("policy")
        }

    def apply(self, plan: KeyedPlan, preview: Preview, record: Any) -> None:
        policies: dict[str, Policy] = {}
        for row in plan.create:
            code = row.extra["policy_code"]
            if code not in policies:
                found = Policy.objects.filter(park=self.ctx.park, code=code).first()
                if found is None:
                    p = row.extra["policy"]
                    found = Policy.objects.create(
                        park=self.ctx.park,
                        code=code,
                        name=p["name"][:200],
                        level=p["level"],
                        department=p["department"],
                    )
                policies[code] = found
        BenefitPayment.objects.bulk_create(
            [
                BenefitPayment(
                    park=self.ctx.park,
                    policy=policies[r.extra["policy_code"]],
                    enterprise=r.extra["enterprise"],
                    paid_on=r.extra["paid_on"],
                    kind=r.extra["kind"],
                    **r.values,
                )
                for r in plan.create
            ],
            batch_size=500,
        )
        for obj, row in plan.update:
            for k, v in row.values.items():
                setattr(obj, k, v)
        if plan.update:
            BenefitPayment.objects.bulk_update([o for o, _ in plan.update], ["amount", "note"])
