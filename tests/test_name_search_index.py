"""The name search finds a name by any part of it; on PostgreSQL a trigram index answers it (decision 0056)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from traedesten.people.services import search_persons
from traedesten.usecases import people as people_cases

needs_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_trgm is PostgreSQL's")


def _search(guide, text):
    return {r.person.last_name for r in search_persons(guide, reached=people_cases.persons_reached(guide),
                                                       outside=True, text=text)}


def test_a_name_is_found_by_any_part_of_it(guide, team, make_person):
    make_person(guide, team=team, first_name="Maja", last_name="Østergaard-Vang")
    make_person(guide, team=team, first_name="Ole", last_name="Holm")
    assert _search(guide, "ergaard-v") == {"Østergaard-Vang"}
    assert _search(guide, "maja vang") == {"Østergaard-Vang"}
    assert _search(guide, "olm") == {"Holm"}
    assert _search(guide, "xyz") == set()


@needs_postgresql
def test_the_trigram_index_exists_after_migrate(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'people_person_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition and "search_name" in definition


@needs_postgresql
def test_the_search_s_own_name_condition_can_use_the_trigram_index(guide, team, make_person):
    make_person(guide, team=team, first_name="Maja", last_name="Vang")
    with CaptureQueriesContext(connection) as captured:
        _search(guide, "vang")
    condition = next(m.group(0) for q in captured.captured_queries
                     if (m := re.search(r'"people_person"\."search_name"::text LIKE \'[^\']*\'', q["sql"])))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT id FROM people_person WHERE {condition}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "people_person_search_trgm" in plan, (condition, plan)
