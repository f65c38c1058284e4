"""Background work: rebuilding the atlas analytics tables (django.tasks)."""

from django.tasks import task


@task()
def refresh_summaries() -> float:
    from sentra.atlas.summary import refresh

    return refresh().seconds or 0.0
