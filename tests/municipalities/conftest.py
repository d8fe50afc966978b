from tests.phases.conftest import fast_password_hasher, listening_now, private_media, tree  # noqa: F401
