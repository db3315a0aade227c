from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yuanqu.accounts import tokens
from yuanqu.accounts.models import ApiToken, User


def _time(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _short(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class Command(BaseCommand):
    help = "API 令牌：create 创建（只显示一次）、list 列出、revoke 吊销"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="create|list|revoke")
        create = actions.add_parser("create", help="为用户创建令牌，打印一次令牌原文")
        create.add_argument("--user", required=True, help="所属用户（用户名）")
        create.add_argument("--name", required=True, help="用途，例如“市平台对接”")
        create.add_argument("--expires", help="有效期至 YYYY-MM-DD（当天 24 时失效；默认长期）")
        create.add_argument("--json", action="store_true", help="输出 JSON 对象（含令牌原文）")
        listing = actions.add_parser("list", help="列出令牌（不含令牌原文）")
        listing.add_argument("--user", help="只列出这一用户的令牌")
        listing.add_argument("--json", action="store_true", help="输出 JSON 数组")
        revoke = actions.add_parser("revoke", help="吊销令牌（不可撤销）")
        revoke.add_argument("id", type=int, help="令牌编号（list 中的 #编号）")

    def handle(self, *args: Any, **o: Any) -> None:
        getattr(self, f"do_{o['action']}")(o)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在")
        return user

    def do_create(self, o: dict[str, Any]) -> None:
        owner = self._user(o["user"])
        expires_at = None
        if o["expires"]:
            try:
                expires_at = tokens.expiry_from_date(date.fromisoformat(o["expires"]))
            except tokens.TokenError as exc:
                raise CommandError(str(exc)) from exc
            except ValueError as exc:
                raise CommandError(f"有效期“{o['expires']}”不是 YYYY-MM-DD 格式的日期") from exc
        try:
            token, secret = tokens.token_create(
                actor=None, owner=owner, name=o["name"], expires_at=expires_at
            )
        except tokens.TokenError as exc:
            raise CommandError(str(exc)) from exc
        if o["json"]:
            row = {**self._row(token), "token": secret}
            self.stdout.write(json.dumps(row, ensure_ascii=False, indent=2))
            return
        until = f"{_short(token.expires_at)} 失效" if token.expires_at else "长期有效（直到吊销）"
        self.stderr.write(
            f"已为 {owner.get_username()} 创建令牌 #{token.pk}“{token.name}”，{until}。"
            "令牌只显示这一次，请立即保存："
        )
        # The secret alone on stdout, so `yuanqu token create … > file` keeps just it.
        self.stdout.write(secret)

    def do_list(self, o: dict[str, Any]) -> None:
        qs = ApiToken.objects.select_related("owner", "created_by", "revoked_by")
        if o["user"]:
            qs = qs.filter(owner=self._user(o["user"]))
        rows = [self._row(t) for t in qs]
        if o["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("没有 API 令牌")
            return
        for t in qs:
            status = tokens.STATUS_LABELS[tokens.token_status(t)]
            used = (
                f"{_short(t.last_used_at)}（{t.last_used_ip or '地址未知'}）"
                if t.last_used_at
                else "从未使用"
            )
            until = f"{_short(t.expires_at)} 失效" if t.expires_at else "长期有效"
            self.stdout.write(
                f"#{t.pk} {t.owner.get_username()} {t.display_prefix} “{t.name}” {status} "
                f"创建于 {_short(t.created_at)}，最近使用 {used}，{until}"
            )

    def do_revoke(self, o: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("owner").filter(pk=o["id"]).first()
        if token is None:
            raise CommandError(f"令牌 #{o['id']} 不存在")
        if tokens.token_revoke(actor=None, token=token):
            self.stdout.write(f"已吊销令牌 #{token.pk}“{token.name}”（{token.display_prefix}）")
        else:
            self.stdout.write(f"令牌 #{token.pk}“{token.name}”此前已吊销")

    @staticmethod
    def _row(token: ApiToken) -> dict[str, Any]:
        status = tokens.token_status(token)
        return {
            "id": token.pk,
            "owner": token.owner.get_username(),
            "name": token.name,
            "prefix": token.display_prefix,
            "status": status,
            "status_label": tokens.STATUS_LABELS[status],
            "created_at": _time(token.created_at),
            "created_by": token.created_by.get_username() if token.created_by else None,
            "last_used_at": _time(token.last_used_at),
            "last_used_ip": token.last_used_ip,
            "expires_at": _time(token.expires_at),
            "revoked_at": _time(token.revoked_at),
        }
