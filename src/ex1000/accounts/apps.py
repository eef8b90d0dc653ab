from django.apps import AppConfig
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
        privacy_hooks.register()  # lock tokens, correct verified company data
