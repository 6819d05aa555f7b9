from assets.dataset import EMBEDDED
from assets.generate import dumps, generate


def test_committed_dataset_is_what_the_generator_makes():
    for name, content in generate().items():
        committed = (EMBEDDED / name).read_text(encoding="utf-8")
        assert committed == dumps(content), f"{name} differs: run python -m assets.generate"
