"""The office's five coaching categories as it names them, mapped onto Bekraf's 16.

Used by the seed migration and the demo data; the office edits them afterwards.
"""

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
