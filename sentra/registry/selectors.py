"""Reads from the IKM registry. The list page, the export and the API share `ikm_list`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.paginator import Page
from django.db import connection, models
from django.db.models import Aggregate, BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from sentra.accounts.permissions import Actor, mask, personal_scope
from sentra.lib.cache import cached, kept
from sentra.lib.db import Year
from sentra.lib.phone import phone_key
from sentra.lib.text import fold
from sentra.registry import search_index
from sentra.registry.models import Ikm, IkmSource, SourceKind, incomplete_labels

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "desa": ("desa__name", "name", "id"),
    "-desa": ("-desa__name", "-name", "-id"),
    "started": ("started_year", "id"),
    "-started": ("-started_year", "-id"),
    "workers": ("workers_total", "id"),
    "-workers": ("-workers_total", "-id"),
    "investment": ("investment", "id"),
    "-investment": ("-investment", "-id"),
    "-updated": ("-updated_at", "-id"),
}
# Orders an index of the IKM table gives without sorting (a search walks it, _search).
INDEXED_SORTS = frozenset({"name", "-name", "started", "-started"})


@dataclass(frozen=True)
class IkmFilters:
    q: str = ""
    kecamatan: str = ""
    desa: str = ""
    subsector: str = ""  # a subsector code, or "none" for bukan ekraf
    kbli_section: str = ""
    scale: str = ""
    status: str = "active"  # active, closed or all
    sort: str = "name"
    incomplete: bool = False  # only "perlu dilengkapi": fields an import left empty


def filter_area_sector_scale[M: models.Model](
    qs: QuerySet[M], *, kecamatan: str = "", desa: str = "", subsector: str = "", scale: str = ""
) -> QuerySet[M]:
    """The list's area, subsector ("none": bukan ekraf) and scale filters, for any model
    with those columns: the registry and the atlas's summary tables filter alike."""
    if kecamatan:
        qs = qs.filter(kecamatan_id=kecamatan)
    if desa:
        qs = qs.filter(desa_id=desa)
    if subsector == "none":
        qs = qs.filter(subsector__isnull=True)
    elif subsector:
        qs = qs.filter(subsector_id=subsector)
    if scale:
        qs = qs.filter(scale=scale)
    return qs


def ikm_list(*, filters: IkmFilters, viewer: Actor = None) -> QuerySet[Ikm]:
    """The filtered, sorted registry: the page, the exports and the API read this.

    `viewer` decides whether the search also looks at NIK and phone (only where the
    viewer may see them, `permissions.personal_scope`); without one it never does.
    """
    qs: QuerySet[Ikm] = Ikm.objects.all()
    if filters.status == "active":
        qs = qs.filter(closed_on__isnull=True)
    elif filters.status == "closed":
        qs = qs.filter(closed_on__isnull=False)
    qs = filter_area_sector_scale(
        qs,
        kecamatan=filters.kecamatan,
        desa=filters.desa,
        subsector=filters.subsector,
        scale=filters.scale,
    )
    if filters.kbli_section:
        qs = qs.filter(kbli__section=filters.kbli_section)
    if filters.incomplete:
        qs = qs.exclude(incomplete_fields=[])
    walk = order_walk_term(filters)
    if walk is not None:
        # A common word: the list's index is walked and each row's text tested, so a
        # page is found within a few hundred rows (see order_walk_term).
        qs = qs.filter(search_text__contains=walk)
    elif filters.q:
        narrowed = bool(filters.kecamatan or filters.desa or filters.subsector)
        scope = personal_scope(viewer) if viewer is not None else False
        walkable = filters.sort in INDEXED_SORTS
        for term in search_terms(filters.q)[:5]:
            qs = _search(qs, term, narrowed=narrowed, walkable=walkable, personal=scope)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


# SQLite: a one-word search whose word is in at least WALK_SHARE of the registry walks
# the list's index testing each row's text. Page one then reads about 50 / share rows
# (under 2,500); the trigram index would first gather every match ("sari": 67k of 492k
# IKM, 30-90 ms) to keep a page of them.
WALK_SHARE = 0.02
SHARE_HITS = 100  # matches whose spread over the ids estimates the share
SHARE_SAMPLE = 5000  # rows sampled for a word too short for the trigram index


@dataclass(frozen=True)
class OrderWalk:
    """A search read along the list's order: its word, about which share of the `rows`
    IKM rows hold it, and whether the trigram index can gather its matches."""

    term: str
    share: float
    rows: int
    indexed: bool


def order_walk_term(filters: IkmFilters) -> str | None:
    """The word of a search that is read along the list's order on SQLite, or None."""
    walk = order_walk(filters)
    return walk.term if walk is not None else None


def order_walk(filters: IkmFilters) -> OrderWalk | None:
    """How a search is read along the list's order on SQLite, or None when it is not.

    Only one plain word (no NIK or phone digits, which depend on who looks), in an order
    an index gives, with no area or subsector filter (their own index is walked then,
    `_search`), in at least WALK_SHARE of the rows. The substring test on search_text is
    what the trigram index answers, so the rows are the same either way; only the cost
    differs.
    """
    if connection.vendor != "sqlite" or filters.sort not in INDEXED_SORTS:
        return None
    if filters.kecamatan or filters.desa or filters.subsector:
        return None
    terms = search_terms(filters.q)
    if len(terms) != 1:
        return None
    term = terms[0]
    if term.isdigit() and len(term) >= PERSONAL_MIN_DIGITS:
        return None
    walk = _word_share(term)
    return walk if walk.share >= WALK_SHARE else None


# The estimate only picks how a search is read (both ways give the same rows), so one
# taken seconds ago serves the list, its count and its page, and the next searches of
# the same word.
SHARE_SECONDS = 30.0


def _word_share(term: str) -> OrderWalk:
    """About which share of the IKM rows hold `term` (`_estimate_share`), as estimated in
    the last SHARE_SECONDS."""
    return kept(
        f"word-share:{connection.alias}:{term}",
        lambda: _estimate_share(term),
        seconds=SHARE_SECONDS,
    )


def _estimate_share(term: str) -> OrderWalk:
    """About which share of the IKM rows hold `term`: how far along the ids its first
    SHARE_HITS trigram matches reach, or the share in the first SHARE_SAMPLE rows."""
    indexed = len(term) >= 3 and _sqlite_fts()
    with connection.cursor() as cursor:
        # Two subqueries: each reads one end of the rowid b-tree; min and max in one
        # SELECT scan the table.
        cursor.execute(
            "SELECT (SELECT min(id) FROM registry_ikm), (SELECT max(id) FROM registry_ikm)"
        )
        first, last = cursor.fetchone()
        if first is None:
            return OrderWalk(term, 0.0, 0, indexed)
        rows = last - first + 1
        if indexed:
            cursor.execute(
                f"SELECT rowid FROM {search_index.TABLE} WHERE {search_index.TABLE} MATCH %s "
                f"ORDER BY rowid LIMIT {SHARE_HITS}",
                [_fts_phrase(term)],
            )
            hits = [row[0] for row in cursor.fetchall()]
            reach = hits[-1] if len(hits) == SHARE_HITS else last
            return OrderWalk(term, len(hits) / (reach - first + 1), rows, indexed)
        cursor.execute(
            "SELECT count(*), sum(search_text LIKE %s ESCAPE '\\') FROM "
            f"(SELECT search_text FROM registry_ikm ORDER BY id LIMIT {SHARE_SAMPLE})",
            ["%" + connection.ops.prep_for_like_query(term) + "%"],
        )
        sampled, found = cursor.fetchone()
        return OrderWalk(term, (found or 0) / sampled if sampled else 0.0, rows, indexed)


# Testing one row's text along the list's index costs about eight times what the trigram
# index spends per match gathering a word's matches (measured at ×100: "pie" page 20,
# 40k rows walked in 400 ms; "sari", 67k matches gathered in 80 ms).
WALK_ROW_COST = 8


def _page_ids(qs: QuerySet[Ikm], walk: OrderWalk, *, upto: int) -> QuerySet[Ikm, int]:
    """The ordered ids of an order-walk search, for a page ending at row `upto`: read
    along the list's index, or, where that walk would test more rows than the word has
    matches (a deep page of a less common word), probed against the gathered matches."""
    ids = qs.values_list("id", flat=True)
    if not walk.indexed or not walk.share:
        return ids
    if upto / walk.share * WALK_ROW_COST <= walk.share * walk.rows:
        return ids
    sql = f"SELECT rowid FROM {search_index.TABLE} WHERE {search_index.TABLE} MATCH %s"
    return ids.filter(
        RawSQL(
            f"+registry_ikm.id IN ({sql})", [_fts_phrase(walk.term)], output_field=BooleanField()
        )
    )


def _first_matches(qs: QuerySet[Ikm], walk: OrderWalk, limit: int) -> list[int]:
    """The ids of up to `limit` rows of an order-walk search, in no particular order:
    streamed from the trigram index (each probed for the list's other filters) where the
    word is long enough, else a table scan that stops at `limit`."""
    unordered = qs.order_by()
    if walk.indexed:
        table = search_index.TABLE
        unordered = unordered.extra(  # a join the ORM cannot write; no user SQL
            tables=[table],
            where=[f"{table}.rowid = registry_ikm.id", f"{table} MATCH %s"],
            params=[_fts_phrase(walk.term)],
        )
    return list(unordered.values_list("id", flat=True)[:limit])


# A number typed with spaces, dots or dashes ("+62 812-3456 7890", "5171 0312 …") is one
# term: its digits.
_NUMBER = re.compile(r"[+(]?\d[\d\s().\-/]{4,}\d")
PERSONAL_MIN_DIGITS = 8  # shorter numbers are years, RT/RW, NIB pieces: not a person
FUZZY_MIN_LENGTH = 4  # "one typo" in a shorter word is another word


def search_terms(q: str) -> list[str]:
    """The words of a search box, folded; numbers as one run of digits."""
    text = _NUMBER.sub(lambda m: "".join(ch for ch in m.group() if ch.isdigit()), fold(q))
    return text.split()


def _sqlite_fts() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'registry_ikm_fts_ai'")
        return cursor.fetchone() is not None


def _digits_after(prefix: str) -> str | None:
    """The smallest digit string after every string that starts with `prefix` ("0819" →
    "082"): a prefix match as a range, which a plain b-tree index answers."""
    stripped = prefix.rstrip("9")
    if not stripped:
        return None
    return stripped[:-1] + str(int(stripped[-1]) + 1)


def _personal_q(term: str, scope: frozenset[str] | None | bool) -> Q | None:
    """NIK or phone starting with the typed digits, in the kecamatan whose personal data
    the viewer may see; None when the term is no such number or the viewer sees none."""
    if scope is False or not term.isdigit() or len(term) < PERSONAL_MIN_DIGITS:
        return None
    if isinstance(scope, frozenset) and not scope:
        return None
    q = Q()
    for column, digits in (("owner_nik", term), ("phone_key", phone_key(term))):
        bound = Q(**{f"{column}__gte": digits})
        after = _digits_after(digits)
        if after is not None:
            bound &= Q(**{f"{column}__lt": after})
        q |= bound
    if isinstance(scope, frozenset):
        q &= Q(kecamatan_id__in=scope)
    return q


def _fuzzy_eligible(term: str) -> bool:
    return term.isalpha() and len(term) >= FUZZY_MIN_LENGTH


def one_edit_variants(word: str, alphabet: str = "abcdefghijklmnopqrstuvwxyz") -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    variants |= {a + c + b for a, b in splits for c in alphabet}
    variants.discard(word)
    return variants


def _vocabulary_neighbours(term: str, *, limit: int = 30) -> list[str]:
    """Words of the registry's vocabulary one edit from `term` (SQLite: most frequent
    first, from the FTS5 vocabulary; PostgreSQL: the word table of migration 0011)."""
    variants = sorted(v for v in one_edit_variants(term) if len(v) >= 3)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT word FROM {search_index.PG_WORDS} WHERE word = ANY(%s) "
                "ORDER BY word LIMIT %s",
                [variants, limit],
            )
        else:
            marks = ", ".join(["%s"] * len(variants))
            cursor.execute(
                f"SELECT term FROM {search_index.VOCAB} WHERE term IN ({marks}) "
                "ORDER BY doc DESC LIMIT %s",
                [*variants, limit],
            )
        return [row[0] for row in cursor.fetchall()]


def _fts_phrase(term: str) -> str:
    # A quoted phrase on a trigram table matches the substring, case-insensitively.
    return '"' + term.replace('"', '""') + '"'


def _search(
    qs: QuerySet[Ikm],
    term: str,
    *,
    narrowed: bool,
    personal: frozenset[str] | None | bool,
    walkable: bool = False,
) -> QuerySet[Ikm]:
    """One search term: a substring of the folded name, owner, NIB, products or address;
    or, for a viewer allowed to see them, the start of the owner's NIK or phone. A word
    that is nowhere in the registry matches the words one typo away instead.

    PostgreSQL: LIKE on search_text uses the pg_trgm GIN index; a typo looks up the words
    one edit away in the word table and searches those through the same index. SQLite: the FTS5 trigram table answers a phrase query
    (same result as LIKE '%term%') for terms of three characters or more (shorter terms
    scan); a typo goes through the word table's vocabulary. When an area or subsector
    filter already narrows the rows, or the term matches many rows (DENSE_MATCHES) and
    the list's order has an index (`walkable`), the unary + keeps SQLite walking that
    filter's or the order's index and probing the search result, instead of fetching
    every matching row by key.
    """
    personal_q = _personal_q(term, personal)
    if connection.vendor == "sqlite" and len(term) >= 3 and _sqlite_fts():
        parts = [f"SELECT rowid FROM {search_index.TABLE} WHERE {search_index.TABLE} MATCH %s"]
        params: list[Any] = [_fts_phrase(term)]
        if _fuzzy_eligible(term) and not _sqlite_matches(parts[0], params):
            words = _vocabulary_neighbours(term)
            if words:
                parts = [
                    f"SELECT rowid FROM {search_index.WORDS} WHERE {search_index.WORDS} MATCH %s"
                ]
                params = [" OR ".join(_fts_phrase(w) for w in words)]
        if personal_q is not None:
            personal_ids = Ikm.objects.filter(personal_q).order_by().values("id")
            sql, more = personal_ids.query.sql_with_params()
            parts.append(sql)
            params.extend(more)
        subquery = " UNION ".join(parts)
        if narrowed or (walkable and _sqlite_dense(subquery, params)):
            return qs.filter(
                RawSQL(f"+registry_ikm.id IN ({subquery})", params, output_field=BooleanField())
            )
        return qs.filter(id__in=RawSQL(subquery, params))
    text_q = Q(search_text__contains=term)
    if (
        connection.vendor == "postgresql"
        and _fuzzy_eligible(term)
        and not Ikm.objects.filter(text_q).exists()
    ):
        text_q = Q(pk__in=[])  # no neighbour either: nothing matches
        for word in _vocabulary_neighbours(term):
            text_q |= Q(search_text__contains=word)
    return qs.filter(text_q | personal_q if personal_q is not None else text_q)


# A term matching more rows than this ("sari", "kopi": tens of thousands at ×100) is
# read in the list's order through its index, each row probed against the matches: a
# page is found within a few thousand rows. Fetching and sorting every match by key
# costs 50-90 ms; for a rarer term it is the cheaper way.
DENSE_MATCHES = 1000


def _sqlite_dense(sql: str, params: list[Any]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT {DENSE_MATCHES + 1})", params)
        dense: bool = cursor.fetchone()[0] > DENSE_MATCHES
        return dense


def _sqlite_matches(sql: str, params: list[Any]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT 1", params)
        return cursor.fetchone() is not None


# A search counts its matches only this far: past it the list says "more than" and asks
# for a narrower search. Counting every "kopi" of 400k IKM reads each matching row (the
# trigram index is lossy), 90-130 ms on PostgreSQL; a thousand take a few ms.
SEARCH_COUNT_CAP = 1000


def ikm_count(qs: QuerySet[Ikm], *, filters: IkmFilters) -> int:
    """The number of rows of a list without a search (a search counts as it pages,
    `ikm_page`).

    SQLite's planner counts all active rows with a full table scan; the partial index on
    active names holds exactly those rows and is a fraction of the size.
    """
    only_status = replace(filters, sort="name") == IkmFilters(status=filters.status)
    if only_status and filters.status == "active":
        # The office's first page: counted once per data version (17 ms at ×100).
        return cached("ikm-active-count", lambda: _active_count(qs))
    return qs.count()


def _active_count(qs: QuerySet[Ikm]) -> int:
    if connection.vendor != "sqlite":
        return qs.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_ikm INDEXED BY ikm_active_name WHERE closed_on IS NULL"
        )
        count: int = cursor.fetchone()[0]
        return count


def ikm_page(
    qs: QuerySet[Ikm], *, filters: IkmFilters, page: int | str | None, per_page: int = 50
) -> Page[Any]:
    """One page of the list in two cheap queries.

    The page's ids come from the IKM table alone (so the database walks a partial index
    in name order and stops after one page), then those rows are read with their names.
    Joining first lets SQLite's planner start from the area table and sort everything.
    A search past SEARCH_COUNT_CAP matches pages through its first SEARCH_COUNT_CAP rows
    and says so (`page.count_capped`).
    """
    from django.core.paginator import Paginator

    capped = False
    walk = order_walk(filters)
    if walk is not None:
        # A common word: its first SEARCH_COUNT_CAP + 1 matches in no order give the
        # count, and the page is read along the list's index. Reading SEARCH_COUNT_CAP + 1 matches in the list's order instead
        # would look up twenty times the rows page one needs.
        found = _first_matches(qs, walk, SEARCH_COUNT_CAP + 1)
        capped = len(found) > SEARCH_COUNT_CAP
        if capped:
            # Which page is asked decides how its rows are best read (`_page_ids`).
            number = Paginator(range(SEARCH_COUNT_CAP), per_page).get_page(page).number
            paginator = Paginator(_page_ids(qs, walk, upto=number * per_page), per_page)
            paginator.count = SEARCH_COUNT_CAP  # a cached_property, set ahead
        else:
            paginator = Paginator(
                list(qs.filter(id__in=found).values_list("id", flat=True)), per_page
            )
    elif search_terms(filters.q):
        # One ordered read of the first SEARCH_COUNT_CAP + 1 matches gives the count and
        # every page: a count and a page query would each gather the matches again.
        found = list(qs.values_list("id", flat=True)[: SEARCH_COUNT_CAP + 1])
        capped = len(found) > SEARCH_COUNT_CAP
        paginator = Paginator(found[:SEARCH_COUNT_CAP], per_page)
    else:
        paginator = Paginator(qs.values_list("id", flat=True), per_page)
        paginator.count = ikm_count(qs, filters=filters)  # a cached_property, set ahead
    page_obj = paginator.get_page(page)
    ids = list(page_obj.object_list)
    rows = {row.pk: row for row in ikm_list_rows(ids)}
    page_obj.object_list = [rows[i] for i in ids if i in rows]  # type: ignore[misc]  # ids → rows
    page_obj.count_capped = capped  # type: ignore[attr-defined]  # for the template
    return page_obj


@dataclass(frozen=True, slots=True)
class IkmListRow:
    """What one line of the list shows, read as plain values: building an Ikm and its
    desa, kecamatan and subsector as model instances cost more than the page's SQL."""

    pk: int
    name: str
    owner_name: str
    main_products: str
    workers_total: int
    started_year: int | None
    closed_on: date | None
    location_check: str
    incomplete_fields: list[str]
    desa_name: str
    kecamatan_name: str
    subsector_name: str | None
    scale: str

    @property
    def scale_label(self) -> str:
        return str(_SCALE_LABELS.get(self.scale, self.scale))

    @property
    def location_label(self) -> str:
        return str(_LOCATION_LABELS.get(self.location_check, self.location_check))

    @property
    def incomplete_labels(self) -> list[str]:
        return incomplete_labels(self.incomplete_fields)


_LIST_ROW_COLUMNS = (
    "id",
    "name",
    "owner_name",
    "main_products",
    "workers_total",
    "started_year",
    "closed_on",
    "location_check",
    "incomplete_fields",
    "desa__name",
    "kecamatan__name",
    "subsector__name",
    "scale",
)
_LOCATION_LABELS = dict(Ikm._meta.get_field("location_check").flatchoices)
_SCALE_LABELS = dict(Ikm._meta.get_field("scale").flatchoices)


def ikm_list_rows(ids: list[int]) -> list[IkmListRow]:
    """The list's lines for these IKM (in no order), names joined in one query."""
    rows = Ikm.objects.filter(id__in=ids).values_list(*_LIST_ROW_COLUMNS)
    return [IkmListRow(*values) for values in rows]


def ikm_page_rows(qs: QuerySet[Ikm]) -> QuerySet[Ikm]:
    """Only what an API page shows (the list's line and the NIB), names in one query."""
    return qs.select_related("desa", "kecamatan", "subsector").only(*_LIST_ROW_COLUMNS, "nib")


def ikm_suggestions(
    *, q: str, viewer: Actor, chosen: list[int] | None = None, limit: int = 10
) -> tuple[list[Ikm], list[Ikm]]:
    """The autocomplete behind "participants by name": the IKM already chosen, then up to
    `limit` active IKM the list's own search finds (name, owner, NIB, address; NIK and
    phone only for those allowed). Each row carries `shown`, its personal fields as the
    viewer may see them."""
    columns = ("id", "name", "owner_name", "nib", "owner_phone", "kecamatan_id", "desa__name")
    chosen_ids = list(dict.fromkeys(chosen or []))[:200]
    picked = list(Ikm.objects.filter(id__in=chosen_ids).select_related("desa").only(*columns))
    found: list[Ikm] = []
    if len(q.strip()) >= 2:
        qs = ikm_list(filters=IkmFilters(q=q), viewer=viewer).exclude(id__in=chosen_ids)
        found = list(qs.select_related("desa").only(*columns)[:limit])
    for ikm in (*picked, *found):
        ikm.shown = mask(viewer, ikm)  # type: ignore[attr-defined]  # for the template
    return picked, found


def ikm_detail(*, pk: int) -> Ikm:
    return Ikm.objects.select_related("desa", "kecamatan", "subsector", "kbli").get(pk=pk)


def demo_data_present() -> bool:
    return IkmSource.objects.filter(kind=SourceKind.DEMO).exists()


# --- life cycle counts (growth) ------------------------------------------------------


def in_stock_at_end_of(year: int) -> Q:
    """Active stock at 31 December `year` as a plain condition (no function on a column):
    entered by then (start year, or record date when the start is unknown) and not
    closed on or before that day."""
    end = date(year, 12, 31)
    entered = Q(started_year__lte=year) | Q(started_year__isnull=True, first_recorded_on__lte=end)
    return entered & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))


def ikm_life_groups(qs: QuerySet[Ikm], **measures: Aggregate) -> list[dict[str, Any]]:
    """ONE grouped query by (start year `started_year`, record year `ry`, close year
    `cy`): at most a few thousand combinations however many IKM there are; every yearly
    measure is a sum over them (`atlas.growth.accumulate`)."""
    grouped = (
        qs.annotate(ry=Year("first_recorded_on"), cy=Year("closed_on"))
        .values("started_year", "ry", "cy")
        .annotate(**(measures or {"n": Count("id")}))
        .order_by()
    )
    return [dict(g) for g in grouped]


def ikm_stock_by(qs: QuerySet[Ikm], *, key: str, years: list[int]) -> dict[str, dict[int, int]]:
    """{value of `key`: {year: active stock at its end}}: one grouped query with a
    conditional count per year. Rows without a value of `key` are left out."""
    grouped = (
        qs.values(key)
        .annotate(**{f"s{y}": Count("id", filter=in_stock_at_end_of(y)) for y in years})
        .order_by()
    )
    return {g[key]: {y: g[f"s{y}"] for y in years} for g in grouped if g[key] is not None}


# --- export -------------------------------------------------------------------------

EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("id", "id_sentra"),
    ("name", "nama_usaha"),
    ("legal_form", "bentuk_badan_usaha"),
    ("nib", "nib"),
    ("pirt_number", "nomor_pirt"),
    ("halal_number", "nomor_halal"),
    ("kbli_id", "kode_kbli"),
    ("subsector__name", "subsektor_ekraf"),
    ("main_products", "produk_utama"),
    ("business_activity", "kegiatan_utama"),
    ("owner_name", "nama_pemilik"),
    ("owner_nik", "nik_pemilik"),
    ("owner_sex", "jenis_kelamin"),
    ("owner_birth_date", "tanggal_lahir"),
    ("owner_education", "pendidikan"),
    ("owner_disability", "disabilitas"),
    ("owner_phone", "kontak_hp"),
    ("owner_email", "email"),
    ("address", "alamat_usaha"),
    ("rt", "rt"),
    ("rw", "rw"),
    ("desa_id", "kode_desa"),
    ("desa__name", "desa_kelurahan"),
    ("kecamatan__name", "kecamatan"),
    ("postal_code", "kode_pos"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("location_check", "cek_lokasi"),
    ("workers_paid_male", "tk_dibayar_laki"),
    ("workers_paid_female", "tk_dibayar_perempuan"),
    ("workers_unpaid_male", "tk_tidak_dibayar_laki"),
    ("workers_unpaid_female", "tk_tidak_dibayar_perempuan"),
    ("workers_unspecified", "tk_tanpa_rincian"),
    ("workers_total", "tk_jumlah"),
    ("investment", "investasi"),
    ("land_building_value", "nilai_tanah_bangunan"),
    ("production_capacity", "kapasitas_produksi"),
    ("production_capacity_unit", "satuan_kapasitas"),
    ("production_value", "nilai_produksi"),
    ("raw_material_value", "nilai_bahan_baku"),
    ("annual_turnover", "omzet_tahunan"),
    ("assets", "aset"),
    ("scale", "skala_usaha"),
    ("started_year", "tahun_mulai_operasi"),
    ("started_month", "bulan_mulai_operasi"),
    ("first_recorded_on", "tanggal_tercatat"),
    ("closed_on", "tanggal_tutup"),
    ("closed_reason", "alasan_tutup"),
    ("data_as_of", "data_per"),
    ("incomplete_fields", "perlu_dilengkapi"),
]


def ikm_export_header() -> list[str]:
    return [header for _, header in EXPORT_COLUMNS]


# The Excel export for people: these headers instead of the codes above. They are plain
# Indonesian, never translated: the import recognises them as Sentra's own labelled
# export (imports/layouts.py), whatever the language of whoever exported the file.
EXPORT_LABELS: dict[str, str] = {
    "id_sentra": "ID Sentra",
    "nama_usaha": "Nama usaha",
    "bentuk_badan_usaha": "Bentuk badan usaha",
    "nib": "NIB",
    "nomor_pirt": "Nomor PIRT",
    "nomor_halal": "Nomor sertifikat halal",
    "kode_kbli": "Kode KBLI",
    "subsektor_ekraf": "Subsektor ekraf",
    "produk_utama": "Produk utama",
    "kegiatan_utama": "Kegiatan utama",
    "nama_pemilik": "Nama pemilik",
    "nik_pemilik": "NIK pemilik",
    "jenis_kelamin": "Jenis kelamin",
    "tanggal_lahir": "Tanggal lahir",
    "pendidikan": "Pendidikan",
    "disabilitas": "Penyandang disabilitas",
    "kontak_hp": "Nomor HP",
    "email": "E-mail",
    "alamat_usaha": "Alamat usaha",
    "rt": "RT",
    "rw": "RW",
    "kode_desa": "Kode desa/kelurahan",
    "desa_kelurahan": "Desa/kelurahan",
    "kecamatan": "Kecamatan",
    "kode_pos": "Kode pos",
    "latitude": "Lintang",
    "longitude": "Bujur",
    "cek_lokasi": "Cek lokasi",
    "tk_dibayar_laki": "TK dibayar laki-laki",
    "tk_dibayar_perempuan": "TK dibayar perempuan",
    "tk_tidak_dibayar_laki": "TK tidak dibayar laki-laki",
    "tk_tidak_dibayar_perempuan": "TK tidak dibayar perempuan",
    "tk_tanpa_rincian": "TK tanpa rincian",
    "tk_jumlah": "Jumlah tenaga kerja",
    "investasi": "Investasi (Rp)",
    "nilai_tanah_bangunan": "Nilai tanah dan bangunan (Rp)",
    "kapasitas_produksi": "Kapasitas produksi per tahun",
    "satuan_kapasitas": "Satuan kapasitas",
    "nilai_produksi": "Nilai produksi per tahun (Rp)",
    "nilai_bahan_baku": "Nilai bahan baku per tahun (Rp)",
    "omzet_tahunan": "Omzet per tahun (Rp)",
    "aset": "Aset (Rp)",
    "skala_usaha": "Skala usaha",
    "tahun_mulai_operasi": "Tahun mulai beroperasi",
    "bulan_mulai_operasi": "Bulan mulai beroperasi",
    "tanggal_tercatat": "Pertama tercatat di dinas",
    "tanggal_tutup": "Tanggal tutup",
    "alasan_tutup": "Alasan tutup",
    "data_per": "Data per tanggal",
    "perlu_dilengkapi": "Perlu dilengkapi",
}
assert set(EXPORT_LABELS) == {header for _, header in EXPORT_COLUMNS}, "a column without a label"
# Columns shown as rupiah in Excel (#.##0 with the reader's own separators).
EXPORT_MONEY = {
    "investasi",
    "nilai_tanah_bangunan",
    "nilai_produksi",
    "nilai_bahan_baku",
    "omzet_tahunan",
    "aset",
}


def ikm_export_readable_rows(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """The export rows with choice codes as their Indonesian labels ("L" → "Laki-laki")
    and yes/no as "ya"/"tidak"; the import reads both back."""
    from django.utils import translation

    fields = [field for field, _ in EXPORT_COLUMNS]
    with translation.override("id"):
        labels = {}
        for i, name in enumerate(fields):
            if "__" in name or name.endswith("_id"):
                continue
            field = Ikm._meta.get_field(name)
            if isinstance(field, models.Field) and field.choices:
                labels[i] = {value: str(label) for value, label in field.flatchoices}
        yes_no = {True: "ya", False: "tidak"}
        disability = fields.index("owner_disability")
    for row in rows:
        row = list(row)
        for i, choices in labels.items():
            if row[i] not in (None, ""):
                row[i] = choices.get(row[i], row[i])
        row[disability] = yes_no.get(row[disability], row[disability])
        yield row


def ikm_export_rows(qs: QuerySet[Ikm], *, user: Actor) -> Iterator[list[Any]]:
    """Rows of the filtered list as plain values, personal data masked per row."""
    fields = [field for field, _ in EXPORT_COLUMNS]
    kec_idx = len(fields)
    incomplete_idx = fields.index("incomplete_fields")
    labels = {f.name: str(f.verbose_name) for f in Ikm._meta.fields}
    values = qs.values_list(*fields, "kecamatan_id")
    for row in values.iterator(chunk_size=2000):
        row = list(row)
        row[incomplete_idx] = "; ".join(labels.get(n, n) for n in row[incomplete_idx] or [])
        yield mask(user, row[:kec_idx], kecamatan_code=row[kec_idx], fields=fields)
