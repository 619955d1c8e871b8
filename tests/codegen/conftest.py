import pytest

from .support import ModuleLoader


@pytest.fixture(scope="module")
def loader(tmp_path_factory):
    """One module directory per test module: compiled programs are shared within it."""
    return ModuleLoader(tmp_path_factory.mktemp("generated"))
