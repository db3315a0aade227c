"""The settings several app servers are configured with (docs/deploy.md, "More than one
machine"): the cache, the replica and the media root come from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import cache_from_url
from tests.helpers import ROOT

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'caches': s.CACHES, 'databases': sorted(s.DATABASES), "
    "'replica': s.DATABASES.get('replica'), 'media': str(s.MEDIA_ROOT), "
    "'routers': s.DATABASE_ROUTERS}, default=str))"
)


def _settings(tmp_path, **env: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("YUANQU_")},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "YUANQU_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_defaults_are_one_machine(tmp_path):
    found = _settings(tmp_path)
    assert found["caches"]["default"]["BACKEND"].endswith("LocMemCache")
    assert found["databases"] == ["default"]
    assert found["media"] == str(tmp_path / "media")
    assert found["routers"] == ["yuanqu.core.replica.ReplicaRouter"]


def test_several_machines_from_the_environment(tmp_path):
    found = _settings(
        tmp_path,
        YUANQU_DATABASE_URL="postgres://yuanqu@db-primary:5432/yuanqu",
        YUANQU_REPLICA_DATABASE_URL="postgres://yuanqu_ro@db-replica:5432/yuanqu",
        YUANQU_CACHE_URL="redis://cache:6379/1",
        YUANQU_MEDIA_ROOT="/srv/shared/yuanqu-media",
    )
    cache = found["caches"]["default"]
    assert cache["BACKEND"] == "yuanqu.core.cache.TolerantRedisCache"
    assert cache["LOCATION"] == "redis://cache:6379/1"
    assert cache["KEY_PREFIX"] == "yuanqu"
    assert found["databases"] == ["default", "replica"]
    replica = found["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == (
        "db-replica",
        "yuanqu_ro",
        "yuanqu",
    )
    assert replica["TEST"]["MIRROR"] == "default"  # tests read the test database through it
    assert replica["OPTIONS"]["options"] == "-c random_page_cost=1.1"  # as the primary's
    assert found["media"] == "/srv/shared/yuanqu-media"


def test_an_unknown_cache_url_is_refused_in_chinese():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ImproperlyConfigured, match="YUANQU_CACHE_URL 无法识别"):
        cache_from_url("memcached://cache:11211")
