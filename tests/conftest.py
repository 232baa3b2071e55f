"""Shared fixtures: a small glossary of our own, written for the tests."""

from __future__ import annotations

import pytest

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
