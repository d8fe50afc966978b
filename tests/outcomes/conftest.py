from tests.phases.conftest import listening_now, tree  # noqa: F401
