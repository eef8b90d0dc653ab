"""Pages put a service's refusal on the form, rendered in the visitor's language."""

from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.utils import translation

from ex1000.accounts.error_codes import AccountError
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError, FieldError
from ex1000.web import add_service_errors, error_messages


class ContactForm(forms.Form):
    email = forms.CharField(required=False)
    company_name = forms.CharField(required=False)


def _form() -> ContactForm:
    form = ContactForm({})
    form.is_valid()
    return form


def test_a_field_message_goes_on_its_field_and_is_not_repeated_on_top():
    form = _form()

    add_service_errors(
        form, AppError(AccountError.EMAIL_TAKEN, errors={"email": [AccountError.EMAIL_TAKEN]})
    )

    assert form.errors["email"] == [AccountError.EMAIL_TAKEN.render()]
    assert NON_FIELD_ERRORS not in form.errors


def test_the_detail_goes_on_top_when_it_says_more_than_the_fields():
    form = _form()
    exc = AppError(
        AccountError.COMPANY_LOCKED,
        errors={"company_name": [AccountError.LOCKED_AFTER_VERIFICATION]},
        email="privacy@example.com",
    )

    add_service_errors(form, exc)

    assert form.errors["company_name"] == [AccountError.LOCKED_AFTER_VERIFICATION.render()]
    assert form.errors[NON_FIELD_ERRORS] == [exc.detail]
    assert "privacy@example.com" in exc.detail


def test_the_generic_validation_detail_is_left_out_when_the_fields_say_it_all():
    form = _form()

    add_service_errors(
        form, AppError(CoreError.VALIDATION, errors={"company_name": [CoreError.REQUIRED]})
    )

    assert form.errors == {"company_name": [CoreError.REQUIRED.render()]}


def test_a_field_the_form_does_not_show_goes_on_top():
    form = _form()
    exc = AppError(
        CoreError.VALIDATION, errors={"phone": [FieldError(CoreError.TOO_LONG, count=40)]}
    )

    add_service_errors(form, exc)

    assert form.errors[NON_FIELD_ERRORS] == ["At most 40 characters.", exc.detail]


def test_messages_are_rendered_in_the_active_language():
    form = _form()
    exc = AppError(AccountError.BAD_CREDENTIALS)

    with translation.override("ru"):
        add_service_errors(form, exc)

    assert form.errors[NON_FIELD_ERRORS] == ["Неверный email или пароль."]


def test_a_flash_message_says_each_thing_once():
    exc = AppError(AccountError.REASON_REQUIRED, errors={"reason": [AccountError.REASON_REQUIRED]})

    assert error_messages(exc) == [AccountError.REASON_REQUIRED.render()]
