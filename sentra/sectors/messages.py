"""Messages about KBLI codes, said the same way by the form and by the import."""

from django.utils.translation import gettext_lazy

# %(value)s: the code as typed (Django's invalid_choice passes it under that name).
KBLI_NOT_FOUND = gettext_lazy(
    "Kode KBLI %(value)s tidak ada di KBLI 2020 pada tingkat 5 digit (kelompok)."
)
