"""Writing one benchmark's results into its own section of docs/benchmarks.md, leaving the rest alone."""
import re


def replace_results(path, heading, name, body):
    """Put ``body`` between ``<!-- {name}:start -->`` and ``<!-- {name}:end -->`` under ``heading``
    (added at the end of the file if missing); nothing else in the file changes."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8")
    block = f"{start}\n{body}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _match: block, text, flags=re.S)
    elif heading in text:
        text = text.replace(heading, f"{heading}\n\n{block}", 1)
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
