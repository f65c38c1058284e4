import pytest

pytestmark = pytest.mark.django_db


def test_indonesian_by_default_even_for_english_browsers(client, viewer):
    client.force_login(viewer)
    response = client.get("/ikm/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert 'lang="id"' in response.content.decode()


def test_the_chosen_language_is_kept(client, viewer):
    client.force_login(viewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/ikm/"})
    response = client.get("/ikm/")
    assert response["Content-Language"] == "en"
