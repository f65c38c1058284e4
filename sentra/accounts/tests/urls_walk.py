"""Every URL pattern of the site, with the arguments that point it at a record of the
test world in one kecamatan. Shared by the access matrix and the personal-data test."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # namespaced url name, e.g. "registry:ikm_detail"
    kwargs: tuple[str, ...]  # the pattern's keyword arguments
    admin: bool = False


def _walk(resolver: URLResolver, ns: str | None, admin: bool) -> list[Route]:
    out = []
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = (
                ns if not item.namespace else (f"{ns}:{item.namespace}" if ns else item.namespace)
            )
            out += _walk(item, inner, admin or item.namespace == "admin")
        elif isinstance(item, URLPattern) and item.name:
            name = f"{ns}:{item.name}" if ns else item.name
            out.append(Route(name, tuple(sorted(item.pattern.regex.groupindex)), admin))
        elif isinstance(item, URLPattern) and not admin:
            # (The admin's unnamed patterns only redirect to its named ones.)
            raise AssertionError(f"URL pattern {item.pattern} has no name: give it one")
    return out


def routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver(), None, False):
        seen.setdefault(route.name, route)
    return sorted(seen.values(), key=lambda r: r.name)


# Which record of the world a keyword argument names, per app (overrides by url name).
_OBJECT = {
    "registry": "ikm",
    "imports": "job",
    "linkage:pair": "pair",
    "linkage:merge": "merge",
    "coaching:category": "category",
    "coaching:programme": "programme",
    "coaching:activity": "activity",
    "coaching:participant": "activity",
    "coaching:participants": "activity",
    "coaching:attendance": "activity",
    "certification:draft": "draft",
    "certification:batch": "batch",
    "certification:trip": "trip",
    "exhibitions": "exhibition",
    "api": "ikm",
    "api_tokens": "api_token",
}


# The API's path parameters name their record.
_API_ARGS = {
    "job_id": "job",
    "pair_id": "pair",
    "merge_id": "merge",
    "programme_id": "programme",
    "activity_id": "activity",
    "batch_id": "batch",
    "exhibition_id": "exhibition",
}

# Whole url names whose argument is not the app's usual record.
_BY_NAME = {
    "exhibitions:override": "application",
    "exhibitions:cancel": "application",
    "exhibitions:attendance": "application",
    "exhibitions:verify_ikm": "application",
    "exhibitions:outcome_edit": "application",
    "exhibitions:certificate_pdf": "application",
    "exhibitions:student_detail": "student",
    "exhibitions:student_link_decide": "student_link",
    "exhibitions:student_certificate_pdf": "student_role",
    "exhibitions:outcome_photo": "photo",
    "exhibitions:outcome_photo_delete": "photo",
    "exhibitions:run_progress": "run",
    "coaching:attendance_run": "attendance_run",
    "coaching:attendance_run_status": "attendance_run",
}


def _object_for(name: str) -> str:
    if name in _BY_NAME:
        return _BY_NAME[name]
    app, _, view = name.partition(":")
    return _OBJECT.get(f"{app}:{view.split('_')[0]}") or _OBJECT[app]


def _admin_kwargs(route: Route, objects: dict, users: dict) -> dict | None:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    view = route.name.split(":", 1)[1]
    kwargs: dict = {}
    if "app_label" in route.kwargs:
        kwargs["app_label"] = "accounts"
    if view == "view_on_site":
        user = users["admin"]
        return {"content_type_id": ContentType.objects.get_for_model(user).pk, "object_id": user.pk}
    if view.endswith("password_change") and "id" in route.kwargs:
        return {"id": users["officer"].pk}
    if "object_id" in route.kwargs or "id" in route.kwargs:
        for model in apps.get_models():
            prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
            if view.startswith(prefix):
                first = model._default_manager.order_by("pk").first()
                # No record (login attempts, task results): a missing one is asked for.
                pk = first.pk if first is not None else 0
                kwargs["object_id" if "object_id" in route.kwargs else "id"] = pk
                break
        else:
            return None
    return kwargs


def url_for(route: Route, objects: dict, users: dict) -> str | None:
    """The URL of `route` on `objects` (one kecamatan's records); None when the world has
    no record for it (then the test says so)."""
    if route.admin:
        kwargs = _admin_kwargs(route, objects, users)
        return None if kwargs is None else reverse(route.name, kwargs=kwargs)
    kwargs: dict = {}
    for key in route.kwargs:
        if route.name == "exhibitions:verify_code":
            kwargs[key] = objects["application"].certificate_code
        elif route.name == "exhibitions:outcome_public":
            kwargs[key] = objects["application"].outcome_token
        elif route.name == "exhibitions:outcome_photo_public":
            photo = objects["photo"]
            kwargs[key] = photo.outcome.application.outcome_token if key == "token" else photo.pk
        elif route.name.startswith("opendata:"):
            kwargs[key] = {"slug": "ikm-wilayah-subsektor", "fmt": "csv"}[key]
        elif key == "code":
            kwargs[key] = objects["kecamatan"]
        elif key == "ikm_id":
            kwargs[key] = objects["ikm"].pk
        elif key == "programme_pk":
            kwargs[key] = objects["programme"].pk
        elif key in _API_ARGS:
            kwargs[key] = objects[_API_ARGS[key]].pk
        else:
            kwargs[key] = objects[_object_for(route.name)].pk
    url = reverse(route.name, kwargs=kwargs)
    return url + QUERY.get(route.name, "")


# GET parameters a URL needs to answer at all (the map's points: a box around Denpasar,
# zoomed in far enough for single points).
QUERY = {"atlas:map_points": "?bbox=115.10,-8.80,115.35,-8.55&zoom=18"}


def post_data(route: Route, objects: dict) -> dict:
    """What a POST sends: enough to reach the decision that matters (the record in
    question), never a complete form — the matrix is about who, not about validation."""
    if route.name == "coaching:participants_add":
        return {"ikm_ids": str(objects["ikm"].pk)}
    if route.name in ("certification:trip_cancel", "certification:trip_confirm"):
        return {"next": "https://evil.example/phish"}
    return {}
