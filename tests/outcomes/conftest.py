from tests.phases.conftest import listening_now, reference_data, tree  # noqa: F401
from tests.plan.conftest import media  # noqa: F401
