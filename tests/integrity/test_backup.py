"""`yuanqu backup` / `yuanqu restore`: one archive holds the data and the uploaded files the
data refer to; a restore puts both back, all or nothing; old .json.gz backups still restore."""

from __future__ import annotations

import gzip
import io
import tarfile
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.economy.factories import make_park
from yuanqu.core.backup import data_apps
from yuanqu.projects import services
from yuanqu.projects.models import Level, Project, ProjectPhoto

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _project_with_photo() -> tuple[Project, ProjectPhoto]:
    park = make_park()
    project = services.project_upsert(
        park=park, code="XM1", name="甲项目", level=Level.PROVINCIAL, total_investment=D("50000.5")
    )
    photo = services.photo_add(
        project=project,
        year=2022,
        month=10,
        upload=SimpleUploadedFile("site.png", PNG, content_type="image/png"),
        caption="主体封顶",
        user=None,
    )
    return project, photo


def test_every_module_with_data_is_backed_up_without_being_listed():
    apps = data_apps()
    for label in ("registry", "economy", "projects", "funding", "reports", "accounts"):
        assert label in apps
    assert "jobs" not in apps and "core" not in apps


def test_backup_holds_the_photo_and_restore_puts_data_and_file_back(media, tmp_path):
    _, photo = _project_with_photo()
    stored = media / photo.image.name
    assert stored.read_bytes() == PNG
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "含上传文件 1 个" in out.getvalue()
    with tarfile.open(archive) as tar:
        assert {"data.json", f"media/{photo.image.name}"} <= set(tar.getnames())
    # lose the data and the file, then restore
    Project.objects.all().delete()
    stored.unlink()
    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    again = Project.objects.get(code="XM1")
    assert again.total_investment == D("50000.5")
    assert again.photos.get().caption == "主体封顶"
    assert stored.read_bytes() == PNG


def test_an_old_json_gz_backup_still_restores(media, tmp_path):
    _project_with_photo()
    plain = io.StringIO()
    call_command("dumpdata", *data_apps(), natural_foreign=True, stdout=plain)
    old = tmp_path / "old.json.gz"
    with gzip.open(old, "wt", encoding="utf-8") as fh:
        fh.write(plain.getvalue())
    Project.objects.all().delete()
    call_command("restore", str(old), yes=True, stdout=io.StringIO())
    assert Project.objects.get(code="XM1").name == "甲项目"


def test_a_file_that_is_not_a_backup_changes_nothing(media, tmp_path):
    _project_with_photo()
    bad = tmp_path / "notes.txt"
    bad.write_text("not a backup", encoding="utf-8")
    with pytest.raises(CommandError, match="不是 yuanqu backup 生成的备份"):
        call_command("restore", str(bad), yes=True)
    assert Project.objects.filter(code="XM1").exists()
