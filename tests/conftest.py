"""Shared fixtures: a small glossary of our own, written for the tests."""

from __future__ import annotations

import contextlib
import os
import threading
import uuid

import pytest
import sqlalchemy
from chromium import browser  # noqa: F401 (a fixture: headless Chromium, one per test module)

from glossary import parse_glossary

TERMS_YAML = """\
terms:
  - id: entity-list
    term: 实体清单
    en: Entity List
    aliases: [实体名单]
    definition: 美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。
    tags: [export-control]
    see_also: [secondary-sanctions]
  - id: long-arm-jurisdiction
    term: 长臂管辖
    en: Long-arm Jurisdiction
    definition: 一国把本国法律延伸适用于境外主体的做法。
    tags: [law]
    pinyin: chang bi guan xia
  - id: secondary-sanctions
    term: 二级制裁
    en: Secondary Sanctions
    definition: 针对与受制裁方往来的第三方所施加的制裁。
    tags: [sanctions]
  - id: swift
    term: SWIFT
    en: Society for Worldwide Interbank Financial Telecommunication
    definition: 为各国银行传递跨境支付报文的合作组织，总部在比利时。
    tags: [finance]
  - id: rare-earth
    term: 稀土
    en: Rare Earth Elements
    definition: 十七种金属元素的统称，是*永磁材料*的原料。
  - id: rare-earth-magnet
    term: 稀土永磁体
    en: Rare-earth Magnet
    definition: 用稀土制成的高性能永磁材料。
  - id: wto
    term: 世界贸易组织
    en: World Trade Organization
    aliases: [WTO]
    definition: 负责多边贸易规则的国际组织，见[官网](https://www.wto.org)。
  - id: donald-trump
    term: 特朗普
    en: Donald Trump
    aliases: [川普]
    definition: 美国第45任和第47任总统。
  - id: ai-chip
    term: AI芯片
    en: AI Chip
    aliases: [人工智能芯片]
    definition: 为机器学习计算设计的处理器。
  - id: chip
    term: 芯片
    en: Chip
    definition: 集成电路的俗称。
  - id: xss-probe
    term: 测试条目
    definition: 含有 <script>alert(1)</script> 与 [链接](javascript:alert(2)) 的定义。
"""


@pytest.fixture(autouse=True)
def _reloads_end_with_their_test():
    """Wait for servers' background reloads a test started, so none writes into the next test's store."""
    yield
    for thread in threading.enumerate():
        if thread.name == "glossary-reload":
            thread.join(30)


@pytest.fixture(scope="session")
def glossary():
    """Return the test glossary."""
    return parse_glossary(TERMS_YAML, "test-terms.yaml")


@pytest.fixture
def terms_file(tmp_path):
    """Write the test glossary to a terms.yaml under tmp_path."""
    path = tmp_path / "terms.yaml"
    path.write_text(TERMS_YAML, encoding="utf-8")
    return path


def write_site(folder, terms: str, articles: dict[str, str]):
    """Write `terms` as folder/terms.yaml and each of `articles` (file name: text) into folder/articles.

    Returns:
        (the terms.yaml path, the articles folder).
    """
    path = folder / "terms.yaml"
    path.write_text(terms, encoding="utf-8")
    articles_folder = folder / "articles"
    articles_folder.mkdir()
    for name, text in articles.items():
        (articles_folder / name).write_text(text, encoding="utf-8")
    return path, articles_folder


# -- the store's databases --------------------------------------------------------------
# Store, sync and web tests run against SQLite and against a real PostgreSQL
# server: .ci/postgres starts one and prints the URL for GLOSSARY_TEST_DATABASE_URL.


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Return the URL of an empty store: a SQLite file under tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with postgresql_schema() as url:
        yield url


@pytest.fixture
def postgresql_url():
    """Return the URL of an empty PostgreSQL store (a fresh schema), for tests only PostgreSQL can run."""
    with postgresql_schema() as url:
        yield url


@contextlib.contextmanager
def postgresql_schema():
    """Create a schema of its own in the test database; yield a URL whose connections use it; drop it."""
    base = os.environ.get("GLOSSARY_TEST_DATABASE_URL")
    if not base:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("GLOSSARY_TEST_DATABASE_URL is not set: CI must run the PostgreSQL tests (.ci/postgres)")
        pytest.skip("GLOSSARY_TEST_DATABASE_URL is not set (export GLOSSARY_TEST_DATABASE_URL=$(.ci/postgres))")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{name}"'))
    url = sqlalchemy.engine.make_url(base).update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            # Connections a test left open would block the drop: end them.
            connection.execute(sqlalchemy.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query NOT LIKE '%pg_stat_activity%'"
                " AND state LIKE 'idle%'"))
            connection.execute(sqlalchemy.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
