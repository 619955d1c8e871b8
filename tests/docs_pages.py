"""The runnable examples of a docs/ page: its ```python blocks, run as written."""
import pathlib
import re

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


def page(name: str) -> pathlib.Path:
    return DOCS / name


def examples(name: str) -> list:
    """The code of every ```python block of docs/<name>, in order."""
    return re.findall(r"```python\n(.*?)```", page(name).read_text(), re.S)


def run_example(name: str, index: int, capsys) -> str:
    """Run example `index` of docs/<name> in a fresh namespace; -> what it printed."""
    code = examples(name)[index]
    exec(compile(code, f"{name} example {index}", "exec"), {})
    return capsys.readouterr().out
