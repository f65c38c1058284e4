"""Analytics tables: the registry pre-aggregated for the atlas (DHIS2's "analytics tables").

Every atlas figure is a sum over a few hundred or thousand of these rows instead of a
scan of every IKM. `sentra.atlas.summary.refresh` rebuilds them set-based (DELETE, then
INSERT … SELECT … GROUP BY) in one transaction; `RefreshState` says from which data
version and when, so pages can say how fresh their figures are.

The area, subsector and KBLI columns are foreign keys without database constraints:
the rows are rebuilt from the registry, never edited, and the joins give the names.
"""

from __future__ import annotations

from django.db import models


def _area(related: str) -> models.ForeignKey:
    return models.ForeignKey(
        "areas.Area",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name=related,
    )


def _subsector() -> models.ForeignKey:
    return models.ForeignKey(
        "sectors.Subsector",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )


class Cell(models.Model):
    """IKM per desa × subsector × scale × open/closed, with their sums.

    The measures are counts and sums, so any coarser figure (a kecamatan, the city, one
    subsector) is their sum. `certified`, `manager` and `marketer` count certificates
    valid on `RefreshState.built_on` (they expire with the days).
    """

    desa = _area("+")
    kecamatan = _area("+")
    subsector = _subsector()
    scale = models.CharField(max_length=10, blank=True)
    active = models.BooleanField()
    n = models.IntegerField()
    workers = models.BigIntegerField()
    workers_male = models.BigIntegerField()
    workers_female = models.BigIntegerField()
    investment = models.BigIntegerField(null=True)
    production_value = models.BigIntegerField(null=True)
    coached = models.IntegerField()
    exhibited = models.IntegerField(default=0)
    certified = models.IntegerField()
    manager = models.IntegerField()
    marketer = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["kecamatan", "desa"], name="atlas_cell_kec"),
            models.Index(fields=["desa"], name="atlas_cell_desa"),
        ]

    def __str__(self) -> str:
        return f"{self.desa_id} {self.subsector_id} {self.scale}: {self.n}"


# The map's grid: a cell is MAP_CELL_DEGREES / 2**zoom degrees (about 80 px on a 256 px
# tile), so a cell of one zoom is exactly four cells of the next.
MAP_CELL_DEGREES = 360 / 256 * 80
MAP_ZOOMS = range(1, 17)  # from 17 on the map shows single IKM, read from the registry


class MapCell(models.Model):
    """Active IKM with coordinates per map cell × kecamatan × subsector × scale, for every
    zoom in MAP_ZOOMS: the map's clusters sum these rows instead of grouping the registry
    (a second at ×100). The coordinate sums give each cluster its mean position."""

    zoom = models.SmallIntegerField()
    gx = models.IntegerField()  # floor(longitude / cell)
    gy = models.IntegerField()  # floor(latitude / cell)
    kecamatan = _area("+")
    subsector = _subsector()
    scale = models.CharField(max_length=10, blank=True)
    n = models.IntegerField()
    lat_sum = models.FloatField()
    lng_sum = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["zoom", "gx", "gy"], name="atlas_mapcell_grid")]

    def __str__(self) -> str:
        return f"z{self.zoom} {self.gx},{self.gy} {self.kecamatan_id}: {self.n}"


class YearCell(models.Model):
    """Life-cycle events per desa × subsector × scale × year, open and closed IKM alike.

    The columns are `growth._accumulate`'s buckets: a yearly series is their sum per
    year. `exited` is the year an IKM leaves the stock for `growth.in_stock_at_end_of`
    (its close year, or its entry year if it closed before it entered). The row with
    year NULL carries only `undated` (neither start year nor record date).
    """

    desa = _area("+")
    kecamatan = _area("+")
    subsector = _subsector()
    scale = models.CharField(max_length=10, blank=True)
    year = models.IntegerField(null=True)
    founded = models.IntegerField()
    recorded = models.IntegerField()
    recorded_found = models.IntegerField()
    recorded_unknown = models.IntegerField()
    entered = models.IntegerField()
    closed = models.IntegerField()
    exited = models.IntegerField()
    undated = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["kecamatan", "year"], name="atlas_year_kec"),
            models.Index(fields=["desa", "year"], name="atlas_year_desa"),
        ]

    def __str__(self) -> str:
        return f"{self.desa_id} {self.subsector_id} {self.scale} {self.year}"


class ProductCell(models.Model):
    """Active IKM per desa × 3-digit KBLI group × main product (`selectors.product_key`):
    the profile's top products, top KBLI groups and sentra detection."""

    desa = _area("+")
    kecamatan = _area("+")
    kbli_group = models.CharField(max_length=3, blank=True)  # "" without a KBLI code
    product = models.CharField(max_length=300, blank=True)
    n = models.IntegerField()
    workers = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kecamatan", "desa"], name="atlas_product_kec")]

    def __str__(self) -> str:
        return f"{self.desa_id} {self.kbli_group} {self.product}: {self.n}"


class RefreshState(models.Model):
    """One row: which data the tables hold and whether a rebuild is wanted."""

    built_version = models.CharField(max_length=100, blank=True)
    built_on = models.DateField(null=True)
    built_at = models.DateTimeField(null=True)
    seconds = models.FloatField(null=True)
    pending = models.BooleanField(default=False)
    building = models.CharField(max_length=120, blank=True)  # version@day of the last start
    requested_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.built_version} @ {self.built_at}"
