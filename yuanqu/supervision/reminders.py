"""Reminders (提醒): what is due or overdue, sent by notifiers behind one interface.

`collect` finds the reminders at a date — a task just assigned, a task turning yellow (due
within the yellow days), a task red (overdue) — each with a stable key and its recipients (the
users of the responsible department and of the park's 督查室). `remind` hands them to every
configured notifier:

- `InAppNotifier`: a `Notification` row per user and key (the list with the unread count;
  the 催报 and 退回 of `imports.Reminder` are shown beside them, not copied);
- `EmailDigestNotifier`: one e-mail a day per user with an address, through Django's mail
  settings (the console back end in the demo);
- `WebhookNotifier`: one message a day per park to a 企业微信 or 钉钉 group robot
  (`YUANQU_SUPERVISION_WEBHOOK_URL`; both robots take the same text message JSON).

Every channel is idempotent per day (`DigestSent`, the notification's unique key), so
`yuanqu supervise` may run every few minutes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from yuanqu.accounts.models import User
from yuanqu.registry.models import Department, Park
from yuanqu.supervision import selectors
from yuanqu.supervision.models import DigestSent, Notification, SupervisionTask, TaskStatus

log = logging.getLogger(__name__)

CHANNEL_LABELS = {"in_app": "站内提醒", "email": "每日摘要邮件", "webhook": "群机器人"}


@dataclass
class Reminder:
    key: str
    park: Park
    title: str
    body: str = ""
    url: str = ""
    users: list[User] = field(default_factory=list)


class Notifier(Protocol):
    """One channel: `send` delivers the reminders of day `day` and returns how many messages
    it sent (0 when everything was already sent)."""

    channel: str

    def send(self, reminders: list[Reminder], *, day: dt.date) -> int: ...


def _department_users(dept_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(departments__in=dept_ids, is_active=True).prefetch_related(
        "departments"
    ):
        for d in user.departments.all():
            if d.pk in dept_ids and user not in found[d.pk]:
                found[d.pk].append(user)
    return found


def collect(*, at: dt.date, parks: list[Park] | None = None) -> list[Reminder]:
    """The reminders due at `at`: open tasks assigned, yellow or red."""
    qs = SupervisionTask.objects.filter(
        status__in=(TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS), assigned_on__lte=at
    ).select_related("park", "department")
    if parks is not None:
        qs = qs.filter(park__in=parks)
    tasks = list(qs.order_by("park__code", "deadline", "code"))
    supervisors = {
        p.pk: [
            d.pk for d in Department.objects.filter(park=p) if "supervision" in (d.modules or [])
        ]
        for p in {t.park for t in tasks}
    }
    dept_ids = {t.department_id for t in tasks if t.department_id} | {
        d for ids in supervisors.values() for d in ids
    }
    users = _department_users(dept_ids)
    days = selectors.yellow_days()
    found = []
    for t in tasks:
        light = selectors.task_light(t, at, days)
        if light == "red":
            key, what = f"task-{t.pk}-red", f"督办事项已逾期（时限{t.deadline:%Y-%m-%d}）"
        elif light == "yellow":
            key, what = f"task-{t.pk}-yellow", f"督办事项即将到期（时限{t.deadline:%Y-%m-%d}）"
        elif t.status == TaskStatus.ASSIGNED:
            key, what = f"task-{t.pk}-assigned", f"新交办督办事项（时限{t.deadline:%Y-%m-%d}）"
        else:
            continue
        recipients: list[User] = []
        for d in ([t.department_id] if t.department_id else []) + supervisors.get(t.park_id, []):
            for u in users.get(d, []):
                if u not in recipients:
                    recipients.append(u)
        found.append(
            Reminder(
                key=key,
                park=t.park,
                title=f"{what}：{t.title}",
                body=f"{t.code} 责任部门：{t.department.name if t.department else '未指定'}",
                url=reverse("supervision:detail", args=[t.pk]),
                users=recipients,
            )
        )
    return found


class InAppNotifier:
    channel = "in_app"

    def send(self, reminders: list[Reminder], *, day: dt.date) -> int:
        created = 0
        for r in reminders:
            for user in r.users:
                _, new = Notification.objects.get_or_create(
                    user=user, key=r.key, defaults={"title": r.title, "body": r.body, "url": r.url}
                )
                created += int(new)
        return created


def _once(channel: str, day: dt.date, target: str) -> bool:
    """Claim (channel, day, target); False when already sent (or claimed by another run)."""
    try:
        with transaction.atomic():
            _, new = DigestSent.objects.get_or_create(channel=channel, day=day, target=target)
    except IntegrityError:
        return False
    return new


def digest_text(reminders: list[Reminder], *, day: dt.date, title: str) -> str:
    lines = [f"{title}（{day:%Y-%m-%d}）：共{len(reminders)}项"]
    lines += [f"{n}. {r.title}（{r.body}）" for n, r in enumerate(reminders, 1)]
    return "\n".join(lines)


class EmailDigestNotifier:
    channel = "email"

    def send(self, reminders: list[Reminder], *, day: dt.date) -> int:
        by_user: dict[User, list[Reminder]] = defaultdict(list)
        for r in reminders:
            for u in r.users:
                if u.email:
                    by_user[u].append(r)
        sent = 0
        for user, items in by_user.items():
            if not _once(self.channel, day, user.email):
                continue
            send_mail(
                subject=f"督查督办每日提醒（{day:%Y-%m-%d}，{len(items)}项）",
                message=digest_text(items, day=day, title=f"{user}，您有以下督办事项需要关注"),
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
        return sent


class WebhookNotifier:
    """企业微信 / 钉钉 group robot: POST {"msgtype": "text", "text": {"content": …}} (the
    text message both robots accept), one per park and day."""

    channel = "webhook"

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url = url
        self.timeout = timeout

    def post(self, content: str) -> None:
        body = json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False)
        request = urllib.request.Request(
            self.url,
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()

    def send(self, reminders: list[Reminder], *, day: dt.date) -> int:
        by_park: dict[Park, list[Reminder]] = defaultdict(list)
        for r in reminders:
            by_park[r.park].append(r)
        sent = 0
        for park, items in by_park.items():
            if not _once(self.channel, day, park.code):
                continue
            try:
                self.post(digest_text(items, day=day, title=f"{park.name}督查督办提醒"))
            except OSError as exc:
                # Not sent: free the day's claim so the next run tries again.
                DigestSent.objects.filter(channel=self.channel, day=day, target=park.code).delete()
                log.warning("webhook failed for %s: %s", park.code, exc)
                continue
            sent += 1
        return sent


def notifiers() -> list[Any]:
    """The configured channels: in-app always; e-mail unless YUANQU_SUPERVISION_EMAIL is off;
    the robot when YUANQU_SUPERVISION_WEBHOOK_URL is set."""
    found: list[Any] = [InAppNotifier()]
    if getattr(settings, "YUANQU_SUPERVISION_EMAIL", True):
        found.append(EmailDigestNotifier())
    url = getattr(settings, "YUANQU_SUPERVISION_WEBHOOK_URL", "")
    if url:
        found.append(WebhookNotifier(url))
    return found


def remind(*, at: dt.date, parks: list[Park] | None = None) -> dict[str, int]:
    """Send the reminders of `at` through every configured notifier: channel → messages sent."""
    items = collect(at=at, parks=parks)
    return {n.channel: n.send(items, day=at) for n in notifiers()}
