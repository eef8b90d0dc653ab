import pytest
from django.core.management import call_command

from ex1000.accounts.models import Role, User


@pytest.mark.django_db
def test_createsuperuser_noinput_makes_an_operator_who_logs_in_by_email(monkeypatch, api):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Ops@EX1000.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Night-Shift-2026")
    call_command("createsuperuser", interactive=False, verbosity=0)

    operator = User.objects.get(email__iexact="ops@ex1000.example")
    assert operator.is_staff and operator.role == Role.OPERATOR
    assert operator.password.startswith("argon2$")
    response = api.post(
        "auth/token", {"email": "ops@ex1000.example", "password": "Night-Shift-2026"}
    )
    assert response.status_code == 200
