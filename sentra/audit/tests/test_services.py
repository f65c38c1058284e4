import pytest
from django.contrib.auth.models import AnonymousUser

from sentra.audit.models import AuditEntry
from sentra.audit.services import (
    actor_user,
    audit_entries_for,
    audit_entry,
    audit_log,
    audit_log_bulk,
    audit_log_many,
)
from sentra.registry.models import Ikm
from sentra.testing.factories import DESA_BARAT, IkmFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_names_the_object_by_label_key_and_text():
    user = UserFactory()
    ikm = IkmFactory(desa_id=DESA_BARAT, name="Tenun Ikat Sari")
    entry = audit_log(
        actor=user, obj=ikm, action="update", changes={"name": ["a", "b"]}, source="formulir"
    )
    entry.refresh_from_db()
    assert (entry.model, entry.object_id, entry.object_repr) == (
        "registry.ikm",
        str(ikm.pk),
        str(ikm),
    )
    assert entry.actor == user and entry.changes == {"name": ["a", "b"]}
    assert list(audit_entries_for(ikm)) == [entry]


def test_only_a_signed_in_user_is_an_actor():
    user = UserFactory()
    assert actor_user(user) is user
    assert actor_user(AnonymousUser()) is None
    assert actor_user(None) is None
    assert actor_user("sistem") is None


def test_long_texts_are_cut_to_the_columns_never_refused():
    ikm = IkmFactory(desa_id=DESA_BARAT)
    entry = audit_log(actor=None, obj=ikm, action="update", source="berkas/" * 80, note="n")
    entry.refresh_from_db()
    assert len(entry.source) == 300 and entry.source == ("berkas/" * 80)[:300]
    assert entry.actor is None
    # A repr longer than its column (a bulk path naming the object itself).
    long = audit_entry(
        actor=None, model=Ikm, object_id=ikm.pk, object_repr="Kerajinan perak " * 20, action="x"
    )
    audit_log_many([long])
    saved = AuditEntry.objects.get(action="x")
    assert saved.object_repr == ("Kerajinan perak " * 20)[:200]


def test_bulk_paths_build_the_same_entry_from_a_model_and_key():
    user = UserFactory()
    ikm = IkmFactory(desa_id=DESA_BARAT)
    from_obj = audit_entry(actor=user, obj=ikm, action="merge", changes={"x": [1, 2]})
    from_key = audit_entry(
        actor=user,
        model=Ikm,
        object_id=ikm.pk,
        object_repr=str(ikm),
        action="merge",
        changes={"x": [1, 2]},
    )
    by_label = audit_entry(
        actor=AnonymousUser(), model="registry.ikm", object_id=ikm.pk, action="merge"
    )
    assert from_obj.pk is None  # unsaved: the caller writes them in bulk
    fields = ("actor", "action", "model", "object_id", "object_repr", "changes", "source")
    assert [getattr(from_obj, f) for f in fields] == [getattr(from_key, f) for f in fields]
    assert by_label.model == "registry.ikm" and by_label.actor is None
    audit_log_many([from_obj])
    audit_log_bulk([from_key, by_label])
    assert AuditEntry.objects.filter(object_id=str(ikm.pk), action="merge").count() == 3


def test_an_entry_needs_an_object_or_a_key():
    with pytest.raises(TypeError):
        audit_entry(actor=None, action="update")
    with pytest.raises(TypeError):
        audit_entry(actor=None, action="update", model=Ikm)
    with pytest.raises(TypeError):
        audit_entry(actor=None, action="update", obj=Ikm(name="belum disimpan"))


def test_an_ambient_source_is_named_beside_the_services_own(db):
    from sentra.audit.services import audit_entry, audit_source
    from sentra.testing.factories import IkmFactory

    ikm = IkmFactory()
    with audit_source("API: token uji (abc…)"):
        own = audit_entry(actor=None, obj=ikm, action="x", source="Penggabungan duplikat")
        plain = audit_entry(actor=None, obj=ikm, action="x")
        named = audit_entry(actor=None, obj=ikm, action="x", source="API: token uji (abc…)")
    after = audit_entry(actor=None, obj=ikm, action="x")
    assert own.source == "Penggabungan duplikat · API: token uji (abc…)"
    assert plain.source == named.source == "API: token uji (abc…)"
    assert after.source == ""
