import pytest

pytestmark = pytest.mark.django_db


def test_register_login_me(api):
    version = api.get("privacy/policy").json()["version"]
    r = api.post(
        "auth/register",
        {
            "role": "buyer",
            "email": "Aigerim@Example.KZ",
            "password": "Steppe-Eagle-2026",
            "name": "Aigerim",
            "company_name": "Almaty Motors",
            "country": "KZ",
            "phone": "+7 701 123 4567",
            "accepted_policy_version": version,
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["phone"] == "+77011234567"
    t = api.post("auth/token", {"email": "aigerim@example.kz", "password": "Steppe-Eagle-2026"})
    assert t.status_code == 200, t.content
    me = api.get("me", headers={"Authorization": f"Bearer {t.json()['token']}"})
    assert me.json()["email"] == "aigerim@example.kz"


def test_vehicles(api, supplier, login_api):
    s = login_api(supplier)
    from tests.factories import new_vin

    r = s.post(
        "vehicles",
        {
            "make": "Toyota",
            "model": "Camry",
            "year": 2021,
            "vin": new_vin(),
            "mileage_km": 40000,
            "fuel": "petrol",
            "transmission": "automatic",
            "drive": "fwd",
            "body_type": "sedan",
            "steering": "LHD",
            "length_mm": 4885,
            "width_mm": 1840,
            "height_mm": 1455,
            "city": "Hangzhou",
            "price": {"amount": "135000", "currency": "CNY"},
            "status": "published",
        },
    )
    assert r.status_code == 201, r.content
    lst = api.get("vehicles", {"q": "camry"})
    assert lst.json()["count"] == 1, lst.content
    assert api.get("vehicles", {"fuel": "coal"}).status_code == 422
    print(api.get("vehicles", {"fuel": "coal"}).json())
