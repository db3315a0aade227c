"""API tokens for scripts and integrations (issue 10): create, revoke, authenticate, list.

A token acts exactly as its owner — same access policy, same data scope (an enterprise user's
token sees only its enterprise); there is no permission model of its own. It exists so that a
script calling the API hundreds of times does not pay password hashing (PBKDF2, ~0.4 s) on each
call, as HTTP Basic does: the secret is 256 random bits, so its SHA-256 is enough to store and
to check (a password needs a slow hash because people choose guessable ones; a random secret
cannot be found from its hash by any amount of guessing).

The token a client sends: `yq_<prefix>_<secret>`. The prefix (8 letters and digits, unique)
finds the row and names the token on pages; the secret is shown once, when the token is made.

Who may create and revoke: every user its own tokens; administrators and 园区管理员 also the
tokens of the users they manage (`policy.can_manage_user`); the operator (actor None: the
CLI) anyone's. Creation and revocation are written to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from yuanqu.accounts.models import ApiToken, AuthUser, User
from yuanqu.accounts.policy import PARK_ROLES, Denied, can_manage_user, can_manage_users
from yuanqu.accounts.scopes import is_global
from yuanqu.core.middleware import is_database_busy, short_busy_timeout

log = logging.getLogger(__name__)

TOKEN_START = "yq_"
PREFIX_LENGTH = 8
PREFIX_ALPHABET = string.ascii_letters + string.digits  # no "_": it separates the parts
# Longer than any token we issue (3 + 8 + 1 + 43 characters); longer input is refused unread.
MAX_TOKEN_LENGTH = 200
NAME_MAX_LENGTH = 100
# last_used_at is bookkeeping: written at most once a minute per token, so a busy script
# costs one UPDATE a minute, not one per call; and it waits this long at most for SQLite's
# write lock (a long import holds it) before the write is skipped — never a failed call.
TOUCH_EVERY = timedelta(minutes=1)
TOUCH_WAIT_MS = 200
# A refused known token is written to the audit log at most once per this many seconds (a
# forgotten script retrying an old token every second must not fill the log).
REFUSAL_AUDIT_EVERY_SECONDS = 60

# Status of a token, with its Chinese label (pages, CLI).
ACTIVE, EXPIRED, REVOKED, OWNER_INACTIVE = "active", "expired", "revoked", "owner_inactive"
STATUS_LABELS = {
    ACTIVE: "有效",
    EXPIRED: "已过期",
    REVOKED: "已吊销",
    OWNER_INACTIVE: "账号已停用",
}

INVALID_MESSAGE = (
    "API 令牌无效：请检查 Authorization: Bearer 之后的令牌是否完整（以 yq_ 开头），"
    "或在网页“API 令牌”页面新建一个。"
)
# A fixed digest compared when no token has the prefix, so an unknown prefix and a wrong
# secret take the same path.
_NO_TOKEN_DIGEST = hashlib.sha256(b"no such token").hexdigest()


class TokenError(ValueError):
    """Input a token cannot be made with (an empty 用途, an expiry in the past): the message
    is Chinese and shown as is."""


@dataclass(frozen=True)
class TokenCheck:
    """The answer to a presented token: the owner when accepted; else `refusal`, a Chinese
    message for the 401, and `reason` (one of the status keys, or "invalid")."""

    user: User | None
    token: ApiToken | None = None
    reason: str = ""
    refusal: str = ""


# -- helpers ------------------------------------------------------------------------------
def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


LAST_EXPIRY_DAY = date(2199, 12, 31)


def expiry_from_date(day: date) -> datetime:
    """`--expires 2025-06-30` / the page's date: valid through that day, i.e. until midnight
    at its end in the site's time zone (Asia/Shanghai). TokenError after LAST_EXPIRY_DAY (the
    day after 9999-12-31 does not exist: leave it empty for a token that does not expire)."""
    if day > LAST_EXPIRY_DAY:
        raise TokenError(f"有效期不能晚于 {LAST_EXPIRY_DAY.isoformat()}；长期有效请留空")
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def token_status(token: ApiToken, now: datetime | None = None) -> str:
    """One of ACTIVE, EXPIRED, REVOKED, OWNER_INACTIVE (revoked first: it is final)."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return REVOKED
    if token.expires_at is not None and token.expires_at <= now:
        return EXPIRED
    if not token.owner.is_active:
        return OWNER_INACTIVE
    return ACTIVE


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _clean_ip(addr: str | None) -> str | None:
    # REMOTE_ADDR is the server's word, but a GenericIPAddressField given anything else would
    # fail on PostgreSQL: keep only a valid address.
    if not addr:
        return None
    try:
        return str(ipaddress.ip_address(addr))
    except ValueError:
        return None


def _new_prefix() -> str:
    for _ in range(10):
        prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix
    raise RuntimeError("无法生成唯一的令牌前缀")  # 62^8 prefixes: not in this universe


# -- services -----------------------------------------------------------------------------
def token_create(
    *,
    actor: AuthUser | None,
    owner: User,
    name: str,
    expires_at: datetime | None = None,
    remote_addr: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `owner`, made by `actor` (None: the operator on the command line).
    Returns the token and its plain text `yq_<prefix>_<secret>`, which is shown once and never
    stored (only the SHA-256 of the secret is). Denied (403) unless the actor may act on the
    owner's account; TokenError for an empty 用途, an expiry not in the future or an inactive
    owner. Logged as `token_create`."""
    from yuanqu.audit.services import audit_event

    if actor is not None and not can_manage_user(actor, owner):
        raise Denied("无权为该用户创建令牌：只有本人、其园区管理员或系统管理员可以创建")
    name = " ".join((name or "").split())
    if any(ord(c) < 32 for c in name):
        # PostgreSQL text cannot hold NUL; no 用途 needs a control character.
        raise TokenError("令牌用途不能含有控制字符")
    if not name:
        raise TokenError("请填写令牌用途，例如“市平台对接”")
    if len(name) > NAME_MAX_LENGTH:
        raise TokenError(f"令牌用途最多 {NAME_MAX_LENGTH} 个字符")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError("有效期必须晚于当前时间")
    if not owner.is_active:
        raise TokenError(f"用户“{owner.get_username()}”已停用，不能创建令牌")
    secret = secrets.token_urlsafe(32)
    creator = actor if isinstance(actor, User) else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            owner=owner,
            name=name,
            prefix=_new_prefix(),
            secret_hash=secret_digest(secret),
            created_by=creator,
            expires_at=expires_at,
        )
        audit_event(
            user=actor,
            event="token_create",
            target=token,
            park=owner.park,
            detail={
                "owner": owner.get_username(),
                "title": name,
                "token": token.display_prefix,
                "expires_at": _local(expires_at) if expires_at else None,
            },
            remote_addr=remote_addr,
        )
    return token, f"{TOKEN_START}{token.prefix}_{secret}"


def token_revoke(
    *, actor: AuthUser | None, token: ApiToken, remote_addr: str | None = None
) -> bool:
    """Revoke the token (final: a revoked token never works again). True when revoked now,
    False when it already was. Denied (403) unless the actor may act on the owner's account.
    Logged as `token_revoke`."""
    from yuanqu.audit.services import audit_event

    if actor is not None and not can_manage_user(actor, token.owner):
        raise Denied("无权吊销此令牌：只有令牌所属用户、其园区管理员或系统管理员可以吊销")
    now = timezone.now()
    revoker = actor if isinstance(actor, User) else None
    with transaction.atomic():
        # Conditional, so two revocations at once log one.
        done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=revoker
        )
        if not done:
            return False
        token.revoked_at, token.revoked_by = now, revoker
        audit_event(
            user=actor,
            event="token_revoke",
            target=token,
            park=token.owner.park,
            detail={
                "owner": token.owner.get_username(),
                "title": token.name,
                "token": token.display_prefix,
            },
            remote_addr=remote_addr,
        )
    return True


def token_check(raw: str, *, remote_addr: str | None = None) -> TokenCheck:
    """Check a presented token. Accepted: its owner, and its last use recorded (at most once a
    minute, skipped when the database is busy). Refused — malformed, unknown, wrong secret,
    revoked, expired, or an inactive owner — with a Chinese message; refusals are logged (and
    a known token's written to the audit log, at most once a minute), never counted against
    the owner's password logins (django-axes is not involved: the owner's password is not)."""
    now = timezone.now()
    raw = (raw or "").strip()
    prefix, secret = _split(raw)
    token = None
    if prefix:
        token = (
            ApiToken.objects.select_related("owner", "owner__park").filter(prefix=prefix).first()
        )
    # Compared in constant time, and also when no row has the prefix.
    expected = token.secret_hash if token is not None else _NO_TOKEN_DIGEST
    matches = hmac.compare_digest(expected, secret_digest(secret)) if prefix else False
    if token is None or not matches:
        _refused(token, "invalid", prefix, remote_addr)
        return TokenCheck(user=None, reason="invalid", refusal=INVALID_MESSAGE)
    status = token_status(token, now)
    if status != ACTIVE:
        message = _refusal_message(token, status)
        _refused(token, status, prefix, remote_addr)
        return TokenCheck(user=None, token=token, reason=status, refusal=message)
    _touch(token, _clean_ip(remote_addr), now)
    return TokenCheck(user=token.owner, token=token)


def token_authenticate(raw: str, *, remote_addr: str | None = None) -> User | None:
    """The owner of a valid token, else None (see `token_check`, which says why)."""
    return token_check(raw, remote_addr=remote_addr).user


def _split(raw: str) -> tuple[str, str]:
    """`yq_<prefix>_<secret>` → (prefix, secret); ("", "") for anything else. The prefix is
    checked to be 8 ASCII letters or digits before it reaches a query (a NUL character would
    be a DataError on PostgreSQL)."""
    if len(raw) > MAX_TOKEN_LENGTH or not raw.startswith(TOKEN_START):
        return "", ""
    prefix, sep, secret = raw[len(TOKEN_START) :].partition("_")
    if not sep or not secret or len(prefix) != PREFIX_LENGTH:
        return "", ""
    if not all(c in PREFIX_ALPHABET for c in prefix):
        return "", ""
    return prefix, secret


def _refusal_message(token: ApiToken, status: str) -> str:
    what = f"API 令牌“{token.name}”（{token.display_prefix}）"
    if status == REVOKED and token.revoked_at is not None:
        return f"{what}已于 {_local(token.revoked_at)} 吊销，不能再使用：请使用新的令牌。"
    if status == EXPIRED and token.expires_at is not None:
        return f"{what}已于 {_local(token.expires_at)} 过期：请在“API 令牌”页面新建令牌。"
    return f"{what}所属的账号已停用。"


def _refused(token: ApiToken | None, reason: str, prefix: str, remote_addr: str | None) -> None:
    """A refusal: one warning line in the server log (never the secret); for a token we have,
    also an audit entry, at most once a minute per token, so its owner and the park's leaders
    see that a revoked or expired token is still in use somewhere, or that someone holds a
    prefix without its secret. Unknown tokens are not written to the database: anyone could
    make us write rows by sending garbage."""
    log.warning(
        "API token refused (%s): prefix %r from %s", reason, prefix or "-", remote_addr or "-"
    )
    if token is None:
        return
    if not cache.add(f"yuanqu:token-refused:{token.pk}", 1, REFUSAL_AUDIT_EVERY_SECONDS):
        return
    from yuanqu.audit.services import audit_event_or_spool

    audit_event_or_spool(
        user=None,
        event="token_refused",
        park=token.owner.park,
        target=token,
        detail={
            "owner": token.owner.get_username(),
            "title": token.name,
            "token": token.display_prefix,
            "status": STATUS_LABELS.get(reason, "密钥不符"),
        },
        remote_addr=_clean_ip(remote_addr),
    )


def _touch(token: ApiToken, remote_addr: str | None, now: datetime) -> None:
    """Record the last use, at most once a minute (TOUCH_EVERY). The UPDATE is conditional, so
    concurrent calls write once; a busy SQLite (a long import holds the write lock) skips it
    after TOUCH_WAIT_MS instead of failing a read that is otherwise good."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
    try:
        # A savepoint when the caller is inside a transaction: a refused write rolls back only
        # itself.
        with short_busy_timeout(TOUCH_WAIT_MS), transaction.atomic():
            ApiToken.objects.filter(stale, pk=token.pk).update(
                last_used_at=now, last_used_ip=remote_addr
            )
    except OperationalError as exc:
        if not is_database_busy(exc):
            raise
        log.warning("database busy: last use of API token %s not recorded", token.display_prefix)
        return
    token.last_used_at, token.last_used_ip = now, remote_addr


# -- selectors ----------------------------------------------------------------------------
def users_managed_by(*, user: AuthUser) -> QuerySet[User]:
    """Accounts whose tokens `user` may see, create and revoke: its own; every user for an
    administrator; its park's users of park roles (never a superuser) for a 园区管理员
    (the same rule as `policy.can_manage_user`)."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if is_global(user):
        return User.objects.all()
    own = Q(pk=user.pk)
    if user.park_id is not None and can_manage_users(user, user.park):
        managed = Q(park_id=user.park_id, is_superuser=False, role__in=PARK_ROLES)
        return User.objects.filter(own | managed)
    return User.objects.filter(own)


def tokens_visible_to(*, user: AuthUser) -> QuerySet[ApiToken]:
    """Tokens of the accounts `user` manages (its own included), newest first."""
    return ApiToken.objects.filter(owner__in=users_managed_by(user=user)).select_related(
        "owner", "owner__park", "created_by", "revoked_by"
    )


def token_for(*, user: AuthUser, pk: int) -> ApiToken | None:
    """The token with this id if `user` may act on it, else None (shown as 404: a token of
    someone else is not confirmed to exist)."""
    return tokens_visible_to(user=user).filter(pk=pk).first()
