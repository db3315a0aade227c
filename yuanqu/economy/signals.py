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
    from yuanqu.registry.models import EnterpriseScale

    slices = report_slices(enterprise_ids=[instance.pk])
    # On a year's 规上 list it was expected in every period of that year, reported or not.
    years = set(EnterpriseScale.objects.filter(enterprise=instance).values_list("year", flat=True))
    if years:
        slices |= {k for k in report_slices(park_ids=[instance.park_id]) if k[1] in years}
    setattr(instance, _PENDING, slices)


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
