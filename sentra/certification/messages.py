"""Every user-facing message of the certification services, in one place.

Bahasa Indonesia msgids with named placeholders (translators may reorder them); the
English catalog translates each. `say(MSG, **values)` renders one in the active language
at the moment the error is raised, so an English user reads English.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def fmt_day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def say(message: Promise | str, **values: Any) -> str:
    """The message in the active language with its placeholders filled (dates as dd-mm-yyyy)."""
    plain = {k: fmt_day(v) if isinstance(v, date) else v for k, v in values.items()}
    return str(message) % plain if plain else str(message)


# --- reference data -------------------------------------------------------------------
UNITS_DUPLICATE = _("Kode unit kompetensi tidak boleh ganda.")
ASSESSOR_NO_SCHEME = _("Asesor harus memiliki minimal satu skema.")
PER_DAY_RANGE = _("Peserta per hari harus 1–50.")
WINDOW_END_BEFORE_START = _("Tanggal akhir jendela ketersediaan sebelum tanggal mulainya.")
WINDOW_CLASH_STORED = _(
    "Jendela ketersediaan %(start)s s.d. %(end)s bertumpang tindih dengan jendela "
    "%(other_start)s s.d. %(other_end)s milik %(assessor)s."
)
WINDOWS_CLASH = _(
    "Jendela %(start1)s s.d. %(end1)s dan %(start2)s s.d. %(end2)s bertumpang tindih."
)
TUK_CAPACITY_MIN = _("Kapasitas TUK minimal 1 kursi.")
HOLIDAY_DUPLICATE = _("Tanggal %(day)s sudah tercatat sebagai hari libur.")

# --- candidates -----------------------------------------------------------------------
SCHEME_ROLE_MISMATCH = _("Skema %(scheme)s untuk peran %(scheme_role)s, bukan %(role)s.")
IKM_CLOSED = _("IKM %(ikm)s sudah tutup.")
COACHING_IN_FUTURE = _("Tanggal selesai pembinaan tidak boleh di masa depan.")
CANDIDATE_EXISTS = _("IKM %(ikm)s sudah punya asesi untuk skema %(scheme)s.")

# --- booking (one batch or a whole plan) ----------------------------------------------
BATCH_END_BEFORE_START = _("Tanggal selesai batch sebelum tanggal mulainya.")
BATCH_IN_PAST = _(
    "Tanggal batch %(start)s sudah lewat; pilih tanggal mulai hari ini atau sesudahnya."
)
BATCH_NO_WORKING_DAY = _(
    "Batch harus mencakup minimal satu hari kerja (Senin–Jumat, bukan hari libur)."
)
BATCH_NO_ASSESSOR = _("Pilih minimal satu asesor.")
BATCH_CAPACITY_MIN = _("Kapasitas batch minimal 1 peserta.")
BATCH_OVER_CAPACITY = _("Jumlah peserta (%(n)s) melebihi kapasitas batch (%(capacity)s).")
BATCH_OVER_ASSESSORS = _(
    "Kapasitas batch (%(capacity)s) melebihi kemampuan asesor "
    "(%(limit)s peserta dalam %(days)s hari)."
)
ASSESSOR_GONE = _("Asesor atau TUK dalam rencana sudah tidak ada; susun ulang rencana.")
ASSESSOR_LACKS_SCHEME = _("Asesor %(assessor)s tidak memiliki skema %(scheme)s.")
ASSESSOR_UNAVAILABLE = _("Asesor %(assessor)s tidak tersedia pada %(days)s.")
ASSESSOR_UNAVAILABLE_MORE = _("Asesor %(assessor)s tidak tersedia pada %(days)s dan lainnya.")
ASSESSOR_BUSY = _("Asesor %(assessor)s sudah bertugas di batch %(code)s pada tanggal itu.")
ASSESSOR_BUSY_IN_PLAN = _("Asesor %(assessor)s terjadwal dua kali pada %(day)s dalam rencana.")
TUK_TOO_SMALL = _("Batch butuh %(seats)s kursi per hari, kapasitas TUK %(tuk)s hanya %(capacity)s.")
TUK_FULL = _(
    "TUK %(tuk)s penuh pada %(day)s: %(used)s kursi sudah dipakai, kapasitas %(capacity)s."
)
CANDIDATE_GONE = _("Asesi #%(id)s sudah tidak ada.")
CANDIDATE_OTHER_SCHEME = _("%(candidate)s terdaftar untuk skema lain.")
CANDIDATE_NOT_READY = _("%(candidate)s belum siap: pembinaan atau dokumen belum lengkap.")
CANDIDATE_READY_LATER = _("%(candidate)s baru siap pada %(day)s.")
CANDIDATE_CERTIFIED = _("%(candidate)s masih memegang sertifikat yang berlaku.")
CANDIDATE_ENROLLED = _("%(candidate)s sudah terdaftar di batch %(code)s.")
CANDIDATE_IKM_CLOSED = _("%(candidate)s: IKM-nya sudah tutup.")
CANDIDATE_SCHEME_INACTIVE = _("%(candidate)s: skemanya tidak aktif lagi.")
PLAN_CANDIDATES_GONE = _(
    "%(n)s asesi dalam rencana sudah tidak bisa dijadwalkan (sudah masuk batch lain, "
    "sudah bersertifikat, atau tidak lagi siap); susun ulang rencana."
)
CANDIDATE_TWICE = _("Ada asesi yang terjadwal dua kali dalam rencana.")
IN_TRIP = _("Perjalanan %(assessor)s %(start)s: %(problem)s")
ASSESSOR_DAY_TAKEN = _(
    "Asesor sudah dipesan pada salah satu hari ini oleh pengguna lain sesaat yang lalu; "
    "muat ulang dan periksa lagi."
)

# --- batches and trips ----------------------------------------------------------------
BATCH_STATUS_CHANGE = _("Status batch %(code)s tidak bisa diubah dari %(old)s ke %(new)s.")
TRIP_NOT_CANCELLABLE = _("Perjalanan %(trip)s tidak bisa dibatalkan (status %(status)s).")
TRIP_NOT_CONFIRMABLE = _("Hanya perjalanan berstatus direncanakan yang bisa dikonfirmasi.")

# --- outcomes -------------------------------------------------------------------------
ASSESSED_IN_FUTURE = _("Tanggal asesmen tidak boleh di masa depan.")
NOT_IN_BATCH = _("%(candidate)s bukan peserta batch %(code)s.")
CERTIFICATE_REQUIRED = _("Hasil kompeten wajib diisi nomor sertifikatnya.")
ISSUED_BEFORE_ASSESSED = _("Tanggal terbit sertifikat tidak boleh sebelum tanggal asesmen.")
CERTIFICATE_TAKEN = _("Nomor sertifikat %(number)s sudah dipakai.")
RESULT_INVALID = _("Hasil harus kompeten atau belum kompeten.")

# --- planning -------------------------------------------------------------------------
PLAN_EMPTY = _("Rencana tidak berisi perjalanan; tidak ada yang disimpan.")
PLAN_DAYS_PER_TRIP = _("Hari per perjalanan harus 1–5 (satu minggu kerja).")
PLAN_DEADLINE_BEFORE_START = _("Tanggal target harus sesudah tanggal mulai.")
PLAN_START_IN_PAST = _("Tanggal mulai rencana tidak boleh di masa lalu.")
PLAN_NO_ASSESSORS = _("Belum ada asesor aktif dengan jendela ketersediaan sesudah tanggal mulai.")
PLAN_NO_TUK = _("Belum ada TUK aktif.")
PLAN_ALREADY_ACCEPTED = _("Rencana ini sudah diterima sebelumnya.")
PLAN_NOT_FINISHED = _("Rencana ini belum selesai disusun.")
PLAN_SHORTFALL = _(
    "Kurang setidaknya %(days)s hari-asesor (≈ %(trips)s perjalanan %(per_trip)s hari) "
    "untuk %(n)s asesi yang belum terjadwal: tambah jendela ketersediaan atau asesor "
    "(mis. asesor lokal lewat LSP Bali), perpanjang perjalanan, atau mundurkan tanggal target."
)
PLAN_SHORTFALL_BEFORE = _(
    "Kurang setidaknya %(days)s hari-asesor (≈ %(trips)s perjalanan %(per_trip)s hari) "
    "untuk %(n)s asesi yang belum terjadwal sebelum %(deadline)s: tambah jendela "
    "ketersediaan atau asesor (mis. asesor lokal lewat LSP Bali), perpanjang perjalanan, "
    "atau mundurkan tanggal target."
)
WHATIF_NOW = _("Kapasitas sekarang")
WHATIF_LOCAL = _("+%(n)s asesor lokal (mis. lewat LSP Bali)")
WHATIF_DAYS = _("%(n)s hari per perjalanan")
WHATIF_TUK = _("TUK %(n)s kursi")
WHATIF_BOTH = _("%(first)s + %(second)s")
WHATIF_HEURISTIC = _("%(label)s (heuristik)")
WHATIF_SKIPPED = _("%(label)s (tidak dihitung: batas waktu habis)")
PLAN_CRASHED = _("Penyusunan rencana gagal karena kesalahan sistem; tidak ada yang disimpan.")
