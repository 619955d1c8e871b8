"""docs/autodiff.md's vmap example runs as written."""
from tests.docs_pages import examples, run_example


def test_per_example_gradient_example(capsys):
    index = next(i for i, code in enumerate(examples("autodiff.md")) if "tg.vmap" in code)
    assert run_example("autodiff.md", index, capsys).strip() == "(32, 4, 8) (32,)"
