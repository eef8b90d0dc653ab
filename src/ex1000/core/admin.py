"""What every app's admin shares."""


class ReadOnly:
    """Records that change only through their services (orders, ledgers, logs): operators
    look them up in the admin, they never add or edit a row there. ``deletable`` lets
    operators remove rows of a log whose retention is theirs to enforce."""

    deletable = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)
