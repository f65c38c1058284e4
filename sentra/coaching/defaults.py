"""The office's five coaching categories as it names them, mapped onto Bekraf's 16.

Used by the seed migration and the demo data (`seed_categories`); the office edits them
afterwards.
"""

from typing import Any

DEFAULT_CATEGORIES = [
    # code, name, Bekraf subsector, partial, description
    ("kuliner", "Kuliner", "B16-08", False, "Makanan dan minuman olahan khas"),
    ("animasi", "Animasi", "B16-05", True, "Hanya animasi dari subsektor Film, Animasi, dan Video"),
    ("fashion", "Fashion", "B16-10", False, "Busana, kain endek/songket, aksesori"),
    (
        "kerajinan",
        "Kerajinan",
        "B16-07",
        False,
        "Kerajinan tangan; bersama kriya = subsektor Kriya",
    ),
    ("kriya", "Kriya", "B16-07", False, "Kriya kayu, perak, logam; bersama kerajinan = Kriya"),
]


def seed_categories(category_model: Any) -> None:
    """Add the default categories that are missing (idempotent). `category_model` is the
    model class: the migration passes its historical one."""
    for order, (code, name, subsector, partial, description) in enumerate(DEFAULT_CATEGORIES):
        category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "subsector_id": subsector,
                "partial": partial,
                "description": description,
                "order": order,
            },
        )
