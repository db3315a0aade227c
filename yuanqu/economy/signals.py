"""Deletions that remove or regroup summed rows without passing through an import.

Deleting an enterprise deletes its reports (CASCADE) and deleting a cluster moves its
enterprises to 未分类 (SET_NULL) — neither sends a signal per report, so the affected
periods are noted before the delete and refreshed after it, in the same transaction
(Django's Collector runs both signals inside its atomic block).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from yuanqu.core.summaries import Change, notify
from yuanqu.registry.models import Enterprise, IndustryCluster

_PENDING = "_summary_slices"


@receiver(pre_delete, sender=Enterprise)
def _enterprise_pre_delete(sender: Any, instance: Enterprise, **kwargs: Any) -> None:
    from yuanqu.economy.summaries import report_slices

    setattr(instance, _PENDING, report_slices(enterprise_ids=[instance.pk]))


@receiver(pre_delete, sender=IndustryCluster)
def _cluster_pre_delete(sender: Any, instance: IndustryCluster, **kwargs: Any) -> None:
    from yuanqu.economy.summaries import report_slices

    ids = list(Enterprise.objects.filter(cluster=instance).values_list("pk", flat=True))
    setattr(instance, _PENDING, report_slices(enterprise_ids=ids) if ids else set())


@receiver(post_delete, sender=Enterprise)
@receiver(post_delete, sender=IndustryCluster)
def _post_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    slices = getattr(instance, _PENDING, None)
    if slices:
        kind = "enterprises" if sender is Enterprise else "clusters"
        notify(Change(kind=kind, event="registry", slices=frozenset(slices)))
