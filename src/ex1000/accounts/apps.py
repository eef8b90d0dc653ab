from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ex1000.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from ex1000.core.api import bearer_auth

        from . import privacy_hooks
        from .services import user_for_token

        bearer_auth.lookup = user_for_token  # API tokens are ours; core only asks
        user_login_failed.connect(_count_failure, dispatch_uid="accounts.login_ip")
        privacy_hooks.register()  # lock tokens, correct verified company data


def _count_failure(sender, credentials=None, request=None, **kwargs):
    from .services import note_login_failure

    note_login_failure(request)
