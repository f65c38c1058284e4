from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CertificationConfig(AppConfig):
    name = "sentra.certification"
    verbose_name = "Sertifikasi kompetensi"

    def ready(self) -> None:
        from sentra.certification import demo
        from sentra.certification.models import Candidate, Enrollment, Outcome
        from sentra.certification.services import candidates_merge_ikm
        from sentra.certification.timeline import certification_events
        from sentra.lib import cache, nav
        from sentra.lib import demo as demo_hooks
        from sentra.linkage import services as linkage
        from sentra.registry import timeline

        # Certificates, candidates and enrolments count in cached figures (the
        # certification page; bulk demo loads write no audit entries).
        cache.watch(Outcome, Candidate, Enrollment)
        timeline.register(certification_events)
        nav.register("certification:progress", gettext_lazy("Sertifikasi"), order=40)
        demo_hooks.register("certification", demo.build)
        linkage.register_merge_hook(candidates_merge_ikm)

        from sentra.audit.signals import connect_audited
        from sentra.certification.tasks import (
            progress_after_demo,
            request_progress_refresh_on_commit,
        )

        # Every service writes an audit entry: recount the page's figures once the change
        # is committed, so they are usually current before anybody looks.
        connect_audited(request_progress_refresh_on_commit, dispatch_uid="certification-progress")
        demo_hooks.register_after("certification", progress_after_demo)
