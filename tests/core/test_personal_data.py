"""The personal-data registry: every model linked to a user declares every column."""

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from ex1000.core.checks import personal_data_declared
from ex1000.core.personal_data import (
    Category,
    Erasure,
    Personal,
    PersonalData,
    declaration,
    registry,
    user_linked_models,
)

EXPECTED_LINKED = {
    "accounts.User",
    "accounts.Company",
    "accounts.VerificationRequest",
    "accounts.QualificationDocument",
    "accounts.ApiToken",
    "privacy.PolicyAcceptance",
    "catalog.Vehicle",
    "catalog.VehiclePhoto",
    "catalog.ImportJob",
}


def _linked_labels():
    return {m._meta.label for m in user_linked_models()}


def test_linked_models_include_everything_about_a_user():
    assert _linked_labels() >= EXPECTED_LINKED


def test_linked_models_leave_out_what_is_about_nobody():
    linked = _linked_labels()

    assert "privacy.PolicyVersion" not in linked
    assert not any(label.startswith(("auth.", "axes.", "sessions.")) for label in linked)


@pytest.mark.parametrize("model", user_linked_models(), ids=lambda m: m._meta.label)
def test_each_linked_model_declares_every_concrete_field(model):
    decl = declaration(model)

    assert isinstance(decl, PersonalData), f"{model._meta.label} declares nothing"
    declared = set(decl.fields) | set(decl.not_personal)
    columns = {f.name for f in model._meta.concrete_fields}
    assert columns - declared == set(), "undeclared"
    assert declared - columns == set(), "declared but missing"
    assert not set(decl.fields) & set(decl.not_personal), "both personal and not"
    for name, personal in decl.fields.items():
        assert isinstance(personal.category, Category), name
        assert isinstance(personal.erasure, Erasure), name
        assert personal.purpose, name
        if personal.erasure == Erasure.LEGAL_HOLD:
            assert personal.hold_years, name


@pytest.mark.parametrize("model", user_linked_models(), ids=lambda m: m._meta.label)
def test_each_declaration_names_a_path_to_its_subject(model):
    subject = declaration(model).subject
    for path in (subject,) if isinstance(subject, str) else subject:
        if path in ("self", "members"):
            continue
        target = model
        for step in path.split("__"):
            target = target._meta.get_field(step).related_model
        assert target._meta.label == settings.AUTH_USER_MODEL, path


def test_sensitive_fields_are_the_identity_documents():
    sensitive = {
        (model._meta.label, name)
        for model, decl in registry().items()
        for name, personal in decl.fields.items()
        if personal.sensitive
    }

    assert ("accounts.QualificationDocument", "number") in sensitive
    assert ("accounts.QualificationDocument", "file") in sensitive


def test_the_system_check_passes_for_the_project():
    assert personal_data_declared() == []
    call_command("check", fail_level="ERROR")


# --- the check catches a new column without a decision ------------------------------------


def _ids(errors):
    return {(e.id, e.obj._meta.object_name) for e in errors}


@isolate_apps("ex1000.core")
def test_a_user_linked_model_without_declaration_is_an_error():
    class LoginHistory(models.Model):  # noqa: DJ008
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        ip = models.GenericIPAddressField()

        class Meta:
            app_label = "core"

    errors = personal_data_declared(models=[*apps.get_models(), LoginHistory])

    assert _ids(errors) == {("ex1000.E001", "LoginHistory")}
    assert "core.LoginHistory" in errors[0].msg


@isolate_apps("ex1000.core")
def test_an_undeclared_column_is_an_error():
    class DeliveryAddress(models.Model):  # noqa: DJ008
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        street = models.CharField(max_length=100)
        passport_number = models.CharField(max_length=20)  # added without a decision

        personal_data = PersonalData(
            fields={"street": Personal(Category.CONTACT, "deliver cars")},
            not_personal=("id", "user"),
        )

        class Meta:
            app_label = "core"

    errors = personal_data_declared(models=[*apps.get_models(), DeliveryAddress])

    assert _ids(errors) == {("ex1000.E002", "DeliveryAddress")}
    assert "passport_number" in errors[0].msg


@isolate_apps("ex1000.core")
def test_a_model_linked_through_another_model_is_checked_too():
    class Shipment(models.Model):  # noqa: DJ008
        vehicle = models.ForeignKey("catalog.Vehicle", on_delete=models.CASCADE)
        consignee_phone = models.CharField(max_length=20)

        class Meta:
            app_label = "core"

    assert Shipment in user_linked_models([*apps.get_models(), Shipment])
    errors = personal_data_declared(models=[*apps.get_models(), Shipment])

    assert _ids(errors) == {("ex1000.E001", "Shipment")}


@isolate_apps("ex1000.core")
def test_declaring_a_column_that_does_not_exist_is_an_error():
    class Note(models.Model):  # noqa: DJ008
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        personal_data = PersonalData(
            fields={"text": Personal(Category.MESSAGE, "remember")},
            not_personal=("id", "user"),
        )

        class Meta:
            app_label = "core"

    errors = personal_data_declared(models=[*apps.get_models(), Note])

    assert _ids(errors) == {("ex1000.E003", "Note")}


@isolate_apps("ex1000.core")
def test_models_about_nobody_need_no_declaration():
    class ExchangeRate(models.Model):  # noqa: DJ008
        currency = models.CharField(max_length=3)

        class Meta:
            app_label = "core"

    assert personal_data_declared(models=[*apps.get_models(), ExchangeRate]) == []
