"""Background work: matching every student against the whole registry (django.tasks).

At 100× today's registry the engine needs minutes, more than a request may take."""

from django.tasks import task


@task
def student_links_find_task(*, user_id: int) -> int:
    from sentra.accounts.models import User
    from sentra.exhibitions.services import student_links_find

    return len(student_links_find(actor=User.objects.get(pk=user_id)))
