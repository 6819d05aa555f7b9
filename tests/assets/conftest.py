import shutil
from pathlib import Path

import pytest

from assets.campus import Campus
from assets.dataset import EMBEDDED, load_campus


@pytest.fixture(scope="session")
def campus() -> Campus:
    return load_campus()


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    """A writable copy of the embedded dataset, to break on purpose."""
    target = tmp_path / "dataset"
    shutil.copytree(EMBEDDED, target)
    return target
