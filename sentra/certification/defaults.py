"""Default schemes: the two certificates the office's target asks for.

The competency units are the office's working list (editable in the admin); they are
not quoted from an SKKNI document, so their codes are local ones.
"""

DEFAULT_SCHEMES = [
    {
        "code": "pengelola-ikm",
        "name": "Pengelola IKM",
        "role": "manager",
        "units": [
            ("PIKM-01", "Menyusun rencana usaha"),
            ("PIKM-02", "Mengelola keuangan usaha sederhana"),
            ("PIKM-03", "Mengelola proses produksi"),
            ("PIKM-04", "Menerapkan keamanan dan mutu produk"),
            ("PIKM-05", "Mengurus perizinan usaha (NIB, PIRT, halal)"),
        ],
    },
    {
        "code": "pemasaran-ikm",
        "name": "Pemasaran IKM",
        "role": "marketer",
        "units": [
            ("MIKM-01", "Melakukan riset pasar sederhana"),
            ("MIKM-02", "Menetapkan harga jual"),
            ("MIKM-03", "Memasarkan produk secara daring"),
            ("MIKM-04", "Melayani pelanggan"),
        ],
    },
]
