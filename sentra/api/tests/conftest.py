import pytest

from sentra.api.services import api_token_create


@pytest.fixture
def token_for(db):
    def make(user, *scopes: str, days: int = 30) -> dict:
        _token, raw = api_token_create(
            actor=user, name="uji", scopes=list(scopes or ["read"]), days=days
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
