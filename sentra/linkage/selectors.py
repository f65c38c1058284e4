"""Reads for deduplication: the registry as engine records, the review queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sentra.lib.duplicates import Hit
from sentra.lib.progress import Progress, board_elapsed, board_read, estimate
from sentra.linkage import engine, normalize
from sentra.linkage.engine import ModelParams
from sentra.linkage.models import CandidatePair, DedupeRun, LinkageModel, Merge, PairStatus
from sentra.registry.models import EDITABLE_FIELDS, PERSONAL_FIELDS, Ikm

if TYPE_CHECKING:
    from sentra.accounts.permissions import Actor

# An engine record: any of the engine's keys, every one optional (see `linkage.engine`).
Record = dict[str, Any]


class MergeChange(TypedDict):
    field: str  # attname
    before: Any
    after: Any


class ComparisonRow(TypedDict):
    attname: str
    label: StrOrPromise
    a: str  # shown (masked where the viewer may not see it)
    b: str
    differs: bool
    default: str  # "a" or "b": the value preselected on the merge form


ENGINE_FIELDS = [
    "id",
    "name",
    "owner_name",
    "address",
    "desa_id",
    "owner_phone",
    "main_products",
    "nib",
    "owner_nik",
    "owner_sex",
    "owner_birth_date",
]


# Fields the reviewer may take from either record (by attname, FKs as their key).
def ikm_attnames(names: list[str]) -> list[str]:
    """The column names (attname: `desa_id` for `desa`) of these Ikm fields."""
    attname = {f.name: f.attname for f in Ikm._meta.concrete_fields}
    return [attname[name] for name in names]


MERGE_FIELDS = ikm_attnames(EDITABLE_FIELDS)


def registry_records(*, queryset: QuerySet[Ikm] | None = None) -> list[Record]:
    """Active IKM as plain dicts for the engine (one query, no model instances)."""
    qs = queryset if queryset is not None else Ikm.objects.active()
    return list(qs.order_by().values(*ENGINE_FIELDS))


def latest_params() -> ModelParams | None:
    model = LinkageModel.objects.first()
    return ModelParams.from_json(model.params) if model else None


def incoming_matches(
    *, incoming: list[Record], registry: list[Record] | None = None, within_incoming: bool = True
) -> list[engine.Match]:
    """Unsaved records (keys "new:<index>") matched against the active registry with the
    registry's last estimated model, and among themselves unless told otherwise."""
    return engine.match_incoming(
        incoming=incoming,
        registry=registry_records() if registry is None else registry,
        params=latest_params(),
        within_incoming=within_incoming,
    )


def incoming_duplicates(*, incoming: list[Record]) -> dict[int, list[engine.Match]]:
    """For an import or a form: each incoming row's likely or possible duplicates in
    the registry (`match.right` is the Ikm pk), best first."""
    return engine.by_incoming_row(incoming_matches(incoming=incoming, within_incoming=False))


# What an officer about to save a new IKM is told about an IKM already registered.
_TWIN_REASONS = {
    "nik": _("NIK pemilik sudah terdaftar"),
    "nib": _("NIB sudah terdaftar"),
    "name": _("nama usaha yang sama di desa/kelurahan yang sama"),
    "engine": _("kemungkinan besar IKM yang sama (nama, pemilik, alamat)"),
    "possible": _("mungkin IKM yang sama"),
}
TWIN_LIMIT = 10


def registered_twins(*, record: Record) -> list[Hit]:
    """Active IKM that an unsaved record (form data) may duplicate, with the reasons:
    the same NIK, the same NIB, the same business name (legal forms aside) in the
    same desa, or a likely/possible match of the engine among the IKM that share the
    desa, NIK, NIB or phone. A handful of indexed queries, whatever the registry size."""
    nik = normalize.identifier(record.get("owner_nik"))
    nib = normalize.identifier(record.get("nib"))
    desa = record.get("desa_id") or getattr(record.get("desa"), "pk", record.get("desa"))
    name = normalize.business_name(record.get("name")).core
    phone = str(record.get("owner_phone") or "")
    reasons: dict[int, list[str]] = {}
    near = Q(pk__in=[])
    if nik:
        near |= Q(owner_nik=nik)
    if nib:
        near |= Q(nib=nib)
    if phone:
        near |= Q(owner_phone=phone)
    if desa:
        near |= Q(desa_id=desa)
    candidates = registry_records(queryset=Ikm.objects.active().filter(near))
    for r in candidates:
        found = reasons.setdefault(r["id"], [])
        if nik and normalize.identifier(r["owner_nik"]) == nik:
            found.append("nik")
        if nib and normalize.identifier(r["nib"]) == nib:
            found.append("nib")
        if (
            name
            and str(r["desa_id"]) == str(desa)
            and (normalize.business_name(r["name"]).core == name)
        ):
            found.append("name")
    incoming = {**record, "desa_id": desa}
    for match in incoming_matches(incoming=[incoming], registry=candidates, within_incoming=False):
        other = match.right if isinstance(match.left, str) else match.left
        # The registry's keys are its ids (the incoming record's is "new:0").
        reasons[int(other)].append("engine" if match.band == "likely" else "possible")
    hits = {pk: why for pk, why in reasons.items() if why}
    ikms = Ikm.objects.select_related("desa").in_bulk(list(hits))
    rows: list[Hit] = [
        {
            "ikm_id": pk,
            "name": ikms[pk].name,
            "owner_name": ikms[pk].owner_name,
            "desa": str(ikms[pk].desa) if ikms[pk].desa_id else "",
            "reasons": [_TWIN_REASONS[w] for w in why],
        }
        for pk, why in hits.items()
        if pk in ikms
    ]
    # Identifiers first, then the engine's verdict.
    rows.sort(key=lambda h: -len(h["reasons"]))
    return rows[:TWIN_LIMIT]


@dataclass(frozen=True)
class PairFilters:
    kecamatan: str = ""
    status: str = PairStatus.PENDING
    order: str = "-score"
    band: str = "likely"  # "likely", "possible" or "" for both


ORDERS = {"-score": ["-score", "id"], "score": ["score", "id"], "-found": ["-found_at", "-id"]}


def pair_list(*, filters: PairFilters) -> QuerySet[CandidatePair]:
    """The review queue. Pairs whose either record has been closed (e.g. merged into a
    third) are left out while pending: they come back if that merge is undone."""
    qs = CandidatePair.objects.select_related(
        "ikm_a", "ikm_b", "ikm_a__desa", "ikm_b__desa", "ikm_a__kecamatan", "ikm_b__kecamatan"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    # The band follows from the score alone, with the thresholds of the engine.
    if filters.band == "likely":
        qs = qs.filter(score__gte=engine.LIKELY)
    elif filters.band == "possible":
        qs = qs.filter(score__lt=engine.LIKELY)
    if filters.status == PairStatus.PENDING:
        qs = qs.filter(ikm_a__closed_on__isnull=True, ikm_b__closed_on__isnull=True)
    if filters.kecamatan:
        qs = qs.filter(
            Q(ikm_a__kecamatan_id=filters.kecamatan) | Q(ikm_b__kecamatan_id=filters.kecamatan)
        )
    return qs.order_by(*ORDERS.get(filters.order, ORDERS["-score"]))


def pair_detail(*, pk: int) -> CandidatePair:
    return CandidatePair.objects.select_related(
        "ikm_a",
        "ikm_b",
        "ikm_a__desa",
        "ikm_b__desa",
        "ikm_a__kbli",
        "ikm_b__kbli",
        "ikm_a__subsector",
        "ikm_b__subsector",
        "decided_by",
    ).get(pk=pk)


def merges_for(*, ikm_id: int) -> QuerySet[Merge]:
    return Merge.objects.filter(Q(kept_id=ikm_id) | Q(merged_id=ikm_id)).select_related(
        "actor", "undone_by", "kept", "merged"
    )


def merge_changes(*, merge: Merge, user: Actor) -> list[MergeChange]:
    """The kept record's fields the merge changed, before and after, personal data masked
    where `user` may not see it (the merge page and the API)."""
    from sentra.accounts.permissions import mask

    # kept_after holds values taken from the merged record: both must be visible.
    same = merge.kept.kecamatan_id == merge.merged.kecamatan_id
    kecamatan = merge.kept.kecamatan_id if same else None
    before = mask(user, merge.kept_before, kecamatan_code=kecamatan)
    after = mask(user, merge.kept_after, kecamatan_code=kecamatan)
    return [
        {"field": name, "before": before.get(name), "after": after.get(name)}
        for name in MERGE_FIELDS
        if merge.kept_before.get(name) != merge.kept_after.get(name)
    ]


def latest_run() -> DedupeRun | None:
    return DedupeRun.objects.first()


def dedupe_progress_key(run: DedupeRun) -> str:
    return f"dedupe-{run.pk}"


def dedupe_run_progress(*, run: DedupeRun) -> tuple[Progress, int | None]:
    """The pass's percentage and time left, and how many IKM it compares (once read)."""
    if run.status == DedupeRun.Status.QUEUED:
        return estimate(done=None, total=None, elapsed=0), None
    note = board_read(dedupe_progress_key(run))
    progress = estimate(done=run.progress, total=100, elapsed=board_elapsed(note))
    return progress, (note or {}).get("total")


EVIDENCE_LABELS = {
    "nib": _("NIB"),
    "nik": _("NIK pemilik"),
    "name": _("Nama usaha (tanpa bentuk badan usaha)"),
    "owner": _("Nama pemilik (tanpa unsur nama Bali dan gelar)"),
    "phone": _("Nomor HP"),
    "sex": _("Jenis kelamin (isian, NIK, atau I/Ni)"),
    "birth": _("Tanggal lahir pemilik (isian atau NIK)"),
    "order": _("Nama urutan lahir (Wayan, Made, Nyoman, Ketut)"),
    "address": _("Alamat"),
    "desa": _("Desa/kelurahan"),
    "postcode": _("Kode pos"),
    "product": _("Produk utama"),
    "frequency": _("Kelangkaan nama yang sama (nama jarang lebih bermakna)"),
}


def pair_evidence(*, pair: CandidatePair) -> dict[str, list[dict[str, Any]]]:
    """The pair's evidence as rows for the review page, split into for and against
    (strongest first); labels stay msgids, translated when shown."""
    return evidence_rows(pair.evidence or {})


def evidence_rows(evidence: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """An engine match's evidence ({comparison: {"level", "weight"}}) as labelled rows,
    for and against, strongest first: the review page and the attendance-list match."""
    rows = [
        {"field": name, "label": EVIDENCE_LABELS.get(name, name), **values}
        for name, values in evidence.items()
        if values.get("level") and values.get("level") != "kosong"
    ]
    rows.sort(key=lambda r: -abs(r["weight"]))
    return {
        "for": [r for r in rows if r["weight"] > 0],
        "against": [r for r in rows if r["weight"] < 0],
    }


PERSONAL_ATTNAMES = set(PERSONAL_FIELDS)


def _display(ikm: Ikm, attname: str) -> str:
    field = next(f for f in Ikm._meta.concrete_fields if f.attname == attname)
    value = getattr(ikm, attname)
    if value in (None, ""):
        return ""
    if field.is_relation:
        related = getattr(ikm, field.name)
        return str(related) if str(related).startswith(str(value)) else f"{value} – {related}"
    if field.choices:
        return str(getattr(ikm, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return str(value)


def pair_comparison(*, pair: CandidatePair, user: Actor) -> list[ComparisonRow]:
    """Side-by-side rows, one per editable field; personal data masked where the user
    may not see it. `differs` rows get a choice on the merge form."""
    from sentra.accounts.permissions import mask

    a, b = pair.ikm_a, pair.ikm_b
    rows: list[ComparisonRow] = []
    for attname in MERGE_FIELDS:
        field = next(f for f in Ikm._meta.concrete_fields if f.attname == attname)
        va, vb = _display(a, attname), _display(b, attname)
        if attname in PERSONAL_ATTNAMES:
            va = mask(user, {attname: va}, kecamatan_code=a.kecamatan_id)[attname]
            vb = mask(user, {attname: vb}, kecamatan_code=b.kecamatan_id)[attname]
        differs = getattr(a, attname) != getattr(b, attname)
        # Preselect the value that is there, A's when both are.
        default = "b" if differs and getattr(a, attname) in ("", None) else "a"
        rows.append(
            {
                "attname": attname,
                "label": field.verbose_name,
                "a": va,
                "b": vb,
                "differs": differs,
                "default": default,
            }
        )
    return rows
