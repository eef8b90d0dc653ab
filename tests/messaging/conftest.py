from tests.orders.conftest import *  # noqa: F403 (fixtures)
