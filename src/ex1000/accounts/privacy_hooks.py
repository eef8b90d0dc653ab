"""What accounts tells the privacy app (registered in AccountsConfig.ready): how to lock an
account's API tokens, and how an approved correction request changes verified company data,
which the owner cannot edit themself once the company is verified."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ex1000.privacy import hooks

from .models import ApiToken, Company


def revoke_api_tokens(user) -> None:
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _company_field(name: str):
    def apply(user, value: str) -> tuple[str, str]:
        company = user.company
        if company is None:
            raise ValidationError(_("The user has no company."))
        field = Company._meta.get_field(name)
        old = getattr(company, name)
        new = field.clean(value, company)
        setattr(company, name, new)
        company.save(update_fields=[name])
        return str(old or ""), str(new or "")

    return apply


def register() -> None:
    hooks.register(hooks.lock_account, revoke_api_tokens)
    for name, label in (
        ("company_name", _("company name")),
        ("city", _("city")),
        ("credit_code", _("unified social credit code")),
    ):
        hooks.correction_targets[name] = hooks.CorrectionTarget(
            label=label, apply=_company_field("name" if name == "company_name" else name)
        )
