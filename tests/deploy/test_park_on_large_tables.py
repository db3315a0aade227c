"""Every large table carries the park, so Citus can distribute it by park (docs/deploy.md,
"Citus: distributed by park").

Each model of the platform is in exactly one group below — a new model fails this test until
someone decides where it belongs:

- DISTRIBUTED: rows that grow with enterprises, months or projects, read park by park. Each has
  a NOT NULL `park` foreign key to registry.Park: its `park_id` is the distribution column, and
  a park's queries stay on one node.
- CHILDREN: rows that hang off a distributed parent and carry no park of their own. Small today
  (a few per project, lead, fund, request, task, draft) except EnterpriseScale; distributing
  them needs a `park_id` column first (docs/deploy.md lists the plan), until then they stay
  coordinator-local tables.
- REFERENCE: small tables every node needs (Citus reference tables, copied to each node), or
  bookkeeping that stays on the coordinator.
"""

from __future__ import annotations

from django.apps import apps

from yuanqu.core.partitioning import PARTITIONED_MODELS

DISTRIBUTED = {
    "registry.Enterprise",
    "registry.IndustryCluster",
    "registry.Department",
    "imports.DataSlice",
    "imports.Reminder",
    "economy.EnterpriseReport",
    "economy.ParkIndicatorValue",
    "economy.IndicatorSummary",
    "economy.ReportingSummary",
    "economy.Target",
    "economy.LongTermGoal",
    "projects.Project",
    "projects.ProjectProgress",
    "funding.Fund",
    "funding.FundApplication",
    "investment.Lead",
    "land.Parcel",
    "service_requests.ServiceRequest",
    "service_requests.Policy",
    "service_requests.BenefitPayment",
    "supervision.SupervisionTask",
    "reports.ReportDraft",
    "reports.ReportTemplate",
}

# model → the field through which it belongs to a distributed parent
CHILDREN = {
    # 规上 status by enterprise and year: ~470,000 rows a year at national size, the one large
    # table without a park (an enterprise that moves park keeps its history under the new one).
    "registry.EnterpriseScale": "enterprise",
    "imports.DataSliceEvent": "slice",
    "projects.ProjectPlan": "project",
    "projects.Milestone": "plan",
    "projects.Problem": "project",
    "projects.ProjectPhoto": "project",
    "funding.FundFlow": "fund",
    "service_requests.RequestEvent": "request",
    "supervision.TaskUpdate": "task",
    "land.ParcelEvent": "parcel",
    "investment.LeadEvent": "lead",
    "investment.LeadFund": "lead",
    "reports.NarrativeBlock": "draft",
    "reports.ReportVersion": "draft",
}

REFERENCE = {
    # copied to every node: the registry's top, the indicator dictionary, lookup lists, users
    "registry.Region",
    "registry.Park",
    "economy.Indicator",
    "service_requests.RequestCategory",
    "service_requests.Holiday",
    "accounts.User",
    "accounts.ApiToken",
    # coordinator only: one row per import, the counter, the queue's bookkeeping, messages
    "imports.ImportRecord",
    "core.DataVersion",
    "core.QuarantinedValue",
    "supervision.Notification",
    "supervision.DigestSent",
    "jobs.WorkerBeat",
    "jobs.PeriodicRun",
    "demo.DemoLoad",
}


def _platform_models() -> set[str]:
    return {m._meta.label for m in apps.get_models() if m.__module__.startswith("yuanqu.")}


def test_every_model_is_placed_once():
    groups = [DISTRIBUTED, set(CHILDREN), REFERENCE]
    placed = set().union(*groups)
    assert sum(len(g) for g in groups) == len(placed), "a model is in two groups"
    assert placed == _platform_models(), {
        "not placed": sorted(_platform_models() - placed),
        "gone": sorted(placed - _platform_models()),
    }


def test_distributed_tables_carry_a_not_null_park():
    for label in sorted(DISTRIBUTED):
        field = apps.get_model(label)._meta.get_field("park")
        assert field.many_to_one and field.concrete, label
        assert field.related_model._meta.label == "registry.Park", label
        assert not field.null, f"{label}.park may be NULL: not a distribution column"
    assert set(PARTITIONED_MODELS) <= DISTRIBUTED


def test_children_hang_off_a_distributed_parent():
    for label, via in CHILDREN.items():
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
        assert "park" not in names, f"{label} has a park now: move it to DISTRIBUTED"
        parent = model._meta.get_field(via).related_model._meta.label
        # a parent is distributed itself, or a child of one (Milestone → ProjectPlan → Project)
        while parent in CHILDREN:
            parent = (
                apps.get_model(parent)._meta.get_field(CHILDREN[parent]).related_model._meta.label
            )
        assert parent in DISTRIBUTED, (label, parent)
