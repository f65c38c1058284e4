import pytest
from django.db import connection

from sentra.registry.models import Ikm
from sentra.registry.search_index import drop_sqlite_fts, ensure_sqlite_fts
from sentra.registry.selectors import IkmFilters, ikm_list
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def through_the_index(monkeypatch):
    """These tests read searches through the trigram index (SQLite FTS5, pg_trgm): in a
    test's few rows every word is common, and a common one-word search would otherwise
    walk the list testing each row's text instead (compared in its own test below)."""
    from sentra.registry import selectors

    monkeypatch.setattr(selectors, "WALK_SHARE", 2.0)


def _names(**filters) -> set[str]:
    return set(ikm_list(filters=IkmFilters(**filters)).values_list("name", flat=True))


def test_search_follows_inserts_updates_and_deletes():
    a = IkmFactory(name="Pie Susu Dewata", desa_id=DESA_BARAT, main_products="pie susu")
    b = IkmFactory(name="Kopi Merta", desa_id=DESA_TIMUR, main_products="kopi bubuk")
    assert _names(q="susu") == {"Pie Susu Dewata"}
    assert _names(q="SUSU dewata", kecamatan="51.71.03") == {"Pie Susu Dewata"}
    assert _names(q="kopi", kecamatan="51.71.03") == set()
    b.name = "Kopi Susu Merta"
    b.save()
    assert _names(q="susu") == {"Pie Susu Dewata", "Kopi Susu Merta"}
    a.delete()
    assert _names(q="susu") == {"Kopi Susu Merta"}
    assert _names(q="su") == {"Kopi Susu Merta"}  # under three characters: plain scan


def test_search_index_exists_and_survives_lost_triggers():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'registry_ikm_search_trgm'")
            assert cursor.fetchone() is not None
        return
    IkmFactory(name="Endek Sari")
    drop_sqlite_fts(connection)  # what a table rebuild in a migration does to triggers
    assert _names(q="endek") == {"Endek Sari"}  # scan fallback, still right
    IkmFactory(name="Endek Baru")
    assert ensure_sqlite_fts(connection)
    assert _names(q="endek") == {"Endek Sari", "Endek Baru"}
    assert Ikm.objects.count() == 2


# --- by field, typo, personal data -----------------------------------------------------

from sentra.accounts.models import Role  # noqa: E402
from sentra.registry.selectors import one_edit_variants, search_terms  # noqa: E402
from sentra.testing.factories import UserFactory, valid_nik  # noqa: E402


@pytest.fixture
def shops():
    """Three IKM whose fields differ in every searched column (explicit, not Faker)."""
    return {
        "kopi": IkmFactory(
            name="Kopi Bubuk Merta",
            owner_name="I Wayan Sudarma",
            nib="9120001234567",
            main_products="kopi bubuk",
            address="Jl. Antasura No. 12",
            owner_nik=valid_nik(serial=11),
            owner_phone="0812-3456-7890",
            desa_id=DESA_BARAT,
        ),
        "endek": IkmFactory(
            name="Tenun Endek Sari",
            owner_name="Ni Luh Ayu Kartika",
            nib="9120007654321",
            main_products="kain endek",
            address="Jl. Gatot Subroto Timur 5",
            owner_nik=valid_nik(serial=22, female=True),
            owner_phone="+62 361 234567",
            desa_id=DESA_TIMUR,
        ),
        "pie": IkmFactory(
            name="Pie Susu Dewata",
            owner_name="Made Arsana",
            nib="",
            main_products="pie susu",
            address="Jl. Teuku Umar 8",
            owner_nik="",
            owner_phone="6281999888777",
            desa_id=DESA_BARAT,
        ),
    }


def _found(q: str, viewer=None, **filters) -> set[str]:
    qs = ikm_list(filters=IkmFilters(q=q, **filters), viewer=viewer)
    return set(qs.values_list("name", flat=True))


def test_search_by_name_owner_nib_products_and_address(shops):
    assert _found("merta") == {"Kopi Bubuk Merta"}
    assert _found("kartika") == {"Tenun Endek Sari"}  # owner
    assert _found("9120007654321") == {"Tenun Endek Sari"}  # NIB
    assert _found("kain") == {"Tenun Endek Sari"}  # products
    assert _found("Antasura") == {"Kopi Bubuk Merta"}  # address
    assert _found("teuku umar") == {"Pie Susu Dewata"}
    assert _found("antasura", kecamatan="51.71.02") == set()  # still filtered


def test_search_forgives_one_typo_only_where_nothing_matches(shops):
    IkmFactory(name="Topi Anyaman Bali", main_products="topi", address="")
    assert _found("kopii") == {"Kopi Bubuk Merta"}  # an extra letter
    assert _found("antsura") == {"Kopi Bubuk Merta"}  # a missing letter
    assert _found("ednek") == {"Tenun Endek Sari"}  # two letters swapped
    # A word that is in the registry is taken as typed: "kopi" does not bring "topi".
    assert _found("kopi") == {"Kopi Bubuk Merta"}
    assert _found("kopii merta") == {"Kopi Bubuk Merta"}
    assert _found("kopii kartika") == set()  # every term still has to match
    assert _found("xylofon") == set()


def test_search_by_nik_and_phone_for_roles_that_see_them(shops):
    analyst = UserFactory(role=Role.ANALYST)
    nik = shops["kopi"].owner_nik
    assert _found(nik, analyst) == {"Kopi Bubuk Merta"}
    assert _found(nik[:10], analyst) == {"Kopi Bubuk Merta"}  # the start of it
    # The phone however it was stored and however it is typed.
    for typed in ("081234567890", "+62 812-3456-7890", "62812 3456 7890", "0812 3456"):
        assert _found(typed, analyst) == {"Kopi Bubuk Merta"}, typed
    assert _found("0361234567", analyst) == {"Tenun Endek Sari"}
    assert _found("(0361) 234-567", analyst) == {"Tenun Endek Sari"}
    assert _found("081999888777", analyst) == {"Pie Susu Dewata"}
    assert _found("+6281999888777 susu", analyst) == {"Pie Susu Dewata"}


def test_a_viewer_cannot_probe_nik_or_phone(shops):
    viewer = UserFactory(role=Role.VIEWER)
    nik = shops["kopi"].owner_nik
    assert _found(nik, viewer) == set()
    assert _found("081234567890", viewer) == set()
    assert _found(nik) == set()  # no viewer at all: no personal search either
    # An officer only where they see personal data: their own kecamatan.
    officer = UserFactory(role=Role.OFFICER, kecamatan_codes=["51.71.02"])
    assert _found(nik, officer) == set()  # Denpasar Barat: not theirs
    assert _found(shops["endek"].owner_nik, officer) == {"Tenun Endek Sari"}


def test_search_terms_keep_numbers_whole():
    assert search_terms("Kopi  +62 812-3456 7890") == ["kopi", "6281234567890"]
    assert search_terms("pie 2019") == ["pie", "2019"]
    assert "kopi" in one_edit_variants("kopii") and "kopii" not in one_edit_variants("kopii")


def test_a_typo_finds_a_word_written_after_the_vocabulary_was_made():
    """The typo vocabulary follows bulk writes and updates (SQLite: FTS5 triggers,
    PostgreSQL: the word table's statement triggers), not only the ORM's save."""
    ikm = IkmFactory.build(name="Gerabah Pejaten", address="")
    ikm.refresh_derived()
    Ikm.objects.bulk_create([ikm])
    assert _names(q="pejatan") == {"Gerabah Pejaten"}
    Ikm.objects.filter(name="Gerabah Pejaten").update(search_text="gerabah kapal")
    assert _names(q="kapai") == {"Gerabah Pejaten"}


def test_a_search_with_many_matches_says_more_than_and_pages_through_the_first(client, monkeypatch):
    from sentra.accounts.models import Role
    from sentra.registry import selectors
    from sentra.testing.factories import UserFactory

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    for name in ("Kopi Satu", "Kopi Dua", "Kopi Tiga"):
        IkmFactory(name=name)
    IkmFactory(name="Tenun Endek")
    client.force_login(UserFactory(role=Role.VIEWER))
    page = client.get("/ikm/", {"q": "kopi"}).context["page"]
    assert page.count_capped and page.paginator.count == 2
    body = client.get("/ikm/", {"q": "kopi"}).content.decode()
    assert "Lebih dari <strong>2</strong> IKM" in body
    # Without a search term the count stays exact.
    page = client.get("/ikm/").context["page"]
    assert not page.count_capped and page.paginator.count == 4


def test_a_common_term_walks_the_order_and_finds_the_same_rows_in_the_same_order(monkeypatch):
    """A term with many matches is read along the list's order (SQLite: probing the
    matches while walking the name index); rows and order equal the other way's, and
    closed IKM stay out."""
    from sentra.registry import selectors

    names = ["Kopi Bali", "Warung Kopi", "Kopi Luwak Sari", "Teh Kopi", "Endek Sari", "Kopi Amerta"]
    for i, name in enumerate(names):
        IkmFactory(name=name, started_year=2000 + (i * 7) % 11)
    IkmFactory(name="Kopi Tutup")
    Ikm.objects.filter(name="Kopi Tutup").update(closed_on="2024-01-01")

    def listing(sort: str) -> list[str]:
        return list(
            ikm_list(filters=IkmFilters(q="kopi", sort=sort)).values_list("name", flat=True)
        )

    for sort in ("name", "-name", "started", "-started"):
        monkeypatch.setattr(selectors, "DENSE_MATCHES", 1000)
        sparse = listing(sort)
        monkeypatch.setattr(selectors, "DENSE_MATCHES", 2)
        assert listing(sort) == sparse, sort
        assert {n for n in names if "Kopi" in n} <= set(sparse) and "Kopi Tutup" not in sparse
    if connection.vendor == "sqlite":
        sql = str(ikm_list(filters=IkmFilters(q="kopi sari")).query)
        assert "+registry_ikm.id IN" in sql  # the walk is the one taken
        sql = str(ikm_list(filters=IkmFilters(q="kopi sari", sort="-workers")).query)
        assert "+registry_ikm.id IN" not in sql  # no index gives that order: sort the matches


@pytest.mark.parametrize(("cap", "row_cost"), [(3, 0), (3, 10**9), (1000, 0)])
def test_a_common_word_read_along_the_order_gives_the_index_s_rows_count_and_pages(
    monkeypatch, cap, row_cost
):
    """SQLite: a one-word search for a common word walks the list's index testing each
    row's text (or, for a deep page, probes the gathered matches: row_cost), and counts
    from its first matches in table order. Rows, order, count, "more than" and every
    page equal the trigram index's, with closed IKM and the list's other filters kept."""
    from sentra.registry import selectors
    from sentra.registry.selectors import ikm_page, order_walk_term

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", cap)
    monkeypatch.setattr(selectors, "WALK_ROW_COST", row_cost)
    names = ["Kopi Bali", "Warung Kopi", "Kopi Luwak Sari", "Teh Kopi", "Endek Sari"]
    names += ["Kopi Amerta", "Pie Susu", "Kopi Tubruk", "Dupa Sari", "Kopi Kintamani"]
    for i, name in enumerate(names):
        IkmFactory(name=name, started_year=2000 + (i * 7) % 11, scale="mikro" if i % 3 else "kecil")
    IkmFactory(name="Kopi Tutup")
    Ikm.objects.filter(name="Kopi Tutup").update(closed_on="2024-01-01")

    def pages(filters: IkmFilters) -> tuple[list[list[str]], int, bool]:
        qs = ikm_list(filters=filters)
        first = ikm_page(qs, filters=filters, page=1, per_page=2)
        every = [
            [ikm.name for ikm in ikm_page(qs, filters=filters, page=n, per_page=2).object_list]
            for n in first.paginator.page_range
        ]
        return every, first.paginator.count, first.count_capped

    for q, sort, scale in [
        ("kopi", "name", ""),
        ("kopi", "-name", ""),
        ("kopi", "started", "mikro"),
        ("sari", "-started", ""),
        ("ko", "name", ""),  # under three characters: no trigram index either way
        ("zzzz", "name", ""),
    ]:
        filters = IkmFilters(q=q, sort=sort, scale=scale)
        monkeypatch.setattr(selectors, "WALK_SHARE", 2.0)
        assert order_walk_term(filters) is None
        through_index = pages(filters)
        monkeypatch.setattr(selectors, "WALK_SHARE", 0.0)
        walked = pages(filters)
        if connection.vendor == "sqlite":
            assert order_walk_term(filters) == q
        assert walked == through_index, (q, sort, scale)
    assert "Kopi Tutup" not in sum(walked[0], [])
    matches = Ikm.objects.filter(closed_on__isnull=True, search_text__contains="kopi").count()
    assert matches >= 7
    kopi = pages(IkmFilters(q="kopi"))
    assert kopi[1:] == ((3, True) if cap == 3 else (matches, False))


def test_a_word_s_share_is_estimated_once_for_a_while(monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from sentra.lib import cache
    from sentra.registry import selectors
    from sentra.registry.selectors import ikm_page

    walks = connection.vendor == "sqlite"  # PostgreSQL never walks, so never estimates
    monkeypatch.setattr(selectors, "WALK_SHARE", 0.25)
    monkeypatch.setenv("SENTRA_ATLAS_CACHE_SECONDS", "600")  # kept, as in production
    cache.clear()
    for i in range(4):
        IkmFactory(name=f"Kopi {i}" if i < 2 else f"Tenun {i}", main_products="kain")
    filters = IkmFilters(q="kopi")
    with CaptureQueriesContext(connection) as first:
        page = ikm_page(ikm_list(filters=filters), filters=filters, page=1)
    estimates = [q for q in first.captured_queries if "min(id)" in q["sql"]]
    assert len(estimates) == walks  # the list, its count and its page share one estimate
    assert sorted(row.name for row in page.object_list) == ["Kopi 0", "Kopi 1"]
    with CaptureQueriesContext(connection) as again:
        ikm_page(ikm_list(filters=filters), filters=filters, page=1)
    assert not [q for q in again.captured_queries if "min(id)" in q["sql"]]
    monkeypatch.setattr(selectors, "SHARE_SECONDS", -1.0)  # kept already expired
    cache.clear()
    ikm_list(filters=filters)
    with CaptureQueriesContext(connection) as later:
        ikm_list(filters=filters)
    assert len([q for q in later.captured_queries if "min(id)" in q["sql"]]) == walks
    cache.clear()


def test_only_a_common_word_is_read_along_the_order(monkeypatch):
    from sentra.registry import selectors
    from sentra.registry.selectors import order_walk_term

    monkeypatch.setattr(selectors, "WALK_SHARE", 0.25)
    for i in range(8):
        IkmFactory(name=f"Kopi {i}" if i < 3 else f"Tenun {i}")
    IkmFactory(name="Dupa Harum")
    expected = "kopi" if connection.vendor == "sqlite" else None
    assert order_walk_term(IkmFilters(q="kopi")) == expected  # 3 of 9
    assert order_walk_term(IkmFilters(q="dupa")) is None  # 1 of 9
    assert order_walk_term(IkmFilters(q="kopi", sort="-workers")) is None  # no index
    assert order_walk_term(IkmFilters(q="kopi", kecamatan="51.71.03")) is None
    assert order_walk_term(IkmFilters(q="kopi tenun")) is None
    drop_sqlite_fts(connection)  # no trigram index: the share is sampled from the rows
    assert order_walk_term(IkmFilters(q="kopi")) == expected
    assert order_walk_term(IkmFilters(q="dupa")) is None
