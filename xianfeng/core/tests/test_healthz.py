from unittest import mock


def test_it_reports_the_database_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"


def test_it_returns_503_when_the_database_fails(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=RuntimeError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": {"status": "error", "error": "RuntimeError"}}
