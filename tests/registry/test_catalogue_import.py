"""The 2018 national catalogue imports as-is: 552 parks, every column kept, idempotent."""

import collections
import csv

import pytest
from django.core.management import CommandError, call_command

from yuanqu.imports.models import ImportRecord
from yuanqu.registry.models import Park

pytestmark = pytest.mark.django_db


def test_catalogue_gives_552_parks_with_official_counts(realdata, capsys):
    path = realdata / "dev_zones_2018" / "national_zones_552.csv"
    call_command("import", str(path), kind="parks")
    assert Park.objects.count() == 552
    by_type = collections.Counter(Park.objects.values_list("park_type", flat=True))
    assert by_type == {"etdz": 219, "htz": 156, "customs": 135, "border": 19, "other": 23}
    assert set(Park.objects.values_list("level", flat=True)) == {"national"}
    park = Park.objects.get(code="G216022")
    assert park.name == "沈阳海峡两岸科技工业园"
    assert park.approval_date == "1995.09" and str(park.approved_area_ha) == "500.0000"
    assert park.region.name == "辽宁省" and park.region.division_code == "210000"
    # Every raw column is kept beside the mapped fields.
    with path.open(encoding="utf-8-sig") as fh:
        source = next(r for r in csv.DictReader(fh) if r["代码"] == "G216022")
    assert park.raw == source
    out = capsys.readouterr().out
    assert "新增 552" in out


def test_second_run_changes_nothing(realdata, capsys):
    path = realdata / "dev_zones_2018" / "national_zones_552.csv"
    call_command("import", str(path), kind="parks")
    before = list(Park.objects.order_by("code").values())
    call_command("import", str(path), kind="parks")
    assert list(Park.objects.order_by("code").values()) == before
    last = ImportRecord.objects.order_by("-id").first()
    assert last.status == ImportRecord.Status.UNCHANGED
    assert last.counts["unchanged"] == 552 and last.counts["new"] == 0


def test_malformed_row_is_named_and_nothing_is_written(realdata, tmp_path, capsys):
    lines = (
        (realdata / "dev_zones_2018" / "national_zones_552.csv").read_text("utf-8-sig").splitlines()
    )
    # Row 101 of the sheet (header is row 1): an area that is not a number.
    bad = lines[100].split(",")
    bad[8] = "五百"
    lines[100] = ",".join(bad)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", str(path), kind="parks")
    out = capsys.readouterr().out
    assert "第101行" in out and "I列" in out and "核准面积" in out
    assert Park.objects.count() == 0


def test_provincial_catalogue_maps_level_and_type(realdata):
    call_command("import", str(realdata / "dev_zones_2018" / "provincial_zones_partial.csv"))
    assert Park.objects.count() == 525
    assert set(Park.objects.values_list("level", "park_type").distinct()) == {
        ("provincial", "industrial")
    }
