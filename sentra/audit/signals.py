"""Sent after audit entries are written in bulk.

A single entry is saved through the ORM and sends post_save; bulk writes (imports,
merges of many records) bypass it, so they send `bulk_audited` instead. Listeners that
follow every audited change (the atlas's summary tables) connect to both.
"""

from django.dispatch import Signal

bulk_audited = Signal()  # keyword argument: count
