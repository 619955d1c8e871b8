"""The scipy.stats example of docs/numpy.md runs as written and prints what it says."""
from tests.docs_pages import examples, run_example


def test_stats_example_runs(capsys):
    index = next(i for i, code in enumerate(examples("numpy.md"))
                 if "tracegrad.scipy.stats" in code)
    assert run_example("numpy.md", index, capsys) == "(3,) (3, 3)\n"
