from django.core import checks

from .personal_data import declaration, user_linked_models


@checks.register(checks.Tags.models)
def personal_data_declared(app_configs=None, models=None, **kwargs):
    """Every model linked to a user decides, field by field, what is personal.

    ``models`` replaces the app registry as the set of models to judge (tests use it to
    bring a model of their own); ``app_configs`` limits the report to those apps.
    """
    errors = []
    linked = user_linked_models(models)
    if app_configs is not None:
        labels = {config.label for config in app_configs}
        linked = [m for m in linked if m._meta.app_label in labels]
    for model in linked:
        decl = declaration(model)
        if decl is None:
            errors.append(
                checks.Error(
                    f"{model._meta.label} is linked to a user but declares no personal_data.",
                    hint="Add personal_data = PersonalData(...) (ex1000.core.personal_data).",
                    obj=model,
                    id="ex1000.E001",
                )
            )
            continue
        if missing := decl.undeclared(model):
            errors.append(
                checks.Error(
                    f"{model._meta.label} has undeclared fields: {', '.join(missing)}.",
                    hint="List each in personal_data.fields or personal_data.not_personal.",
                    obj=model,
                    id="ex1000.E002",
                )
            )
        if unknown := decl.unknown(model):
            errors.append(
                checks.Error(
                    f"{model._meta.label} declares fields it does not have: {', '.join(unknown)}.",
                    obj=model,
                    id="ex1000.E003",
                )
            )
    return errors
