"""The API's answer cache: bounded in bytes, and large enough for a long article's answer (issue 17, speed)."""

from __future__ import annotations

from glossary.web.pagecache import AnswerCache


def test_a_long_articles_answer_is_kept():
    cache = AnswerCache(size=8, capacity=64 * 1024 * 1024)
    body = b"x" * (4 * 1024 * 1024)  # what a 1.5 MB article answers
    cache.put("long", body)
    assert cache.get("long") is body


def test_an_answer_larger_than_a_quarter_of_the_cache_is_not_kept():
    cache = AnswerCache(size=8, capacity=1000)
    cache.put("big", b"x" * 251)
    assert cache.get("big") is None
    cache.put("fits", b"x" * 250)
    assert cache.get("fits") is not None


def test_the_oldest_answers_go_when_the_bytes_run_over():
    cache = AnswerCache(size=100, capacity=1000)
    for n in range(5):
        cache.put(str(n), b"x" * 250)
    assert cache.get("0") is None and cache.get("1") is not None
    assert cache.held == 1000 and len(cache) == 4


def test_the_oldest_answers_go_past_the_count():
    cache = AnswerCache(size=2, capacity=1000)
    for n in range(3):
        cache.put(str(n), b"x")
    assert cache.get("0") is None and len(cache) == 2 and cache.held == 2


def test_putting_an_answer_again_counts_its_bytes_once():
    cache = AnswerCache(size=8, capacity=1000)
    cache.put("a", b"x" * 100)
    cache.put("a", b"y" * 100)
    assert cache.held == 100 and cache.get("a") == b"y" * 100


def test_what_a_body_asked_is_remembered_for_four_times_as_many_bodies_as_answers():
    cache = AnswerCache(size=2, capacity=1000)
    for n in range(9):
        cache.remember(bytes([n]), b"digest %d" % n)
    assert cache.asked(bytes([0])) is None
    assert cache.asked(bytes([1])) == b"digest 1"
    assert cache.asked(bytes([8])) == b"digest 8"
