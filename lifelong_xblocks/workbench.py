"""Demo scenarios for the xblock-sdk workbench, read from the folder the workbench settings name.

In Open edX the setting is absent and blocks offer no scenarios.
"""
from pathlib import Path


def scenarios_for(tag, folder):
    """``(title, xml)`` pairs from ``<folder>/<tag>*.xml``; the title is the XML's first comment line."""
    if not folder:
        return []
    scenarios = []
    for path in sorted(Path(folder).glob(f"{tag}*.xml")):
        xml = path.read_text(encoding="utf-8")
        title = path.stem.replace("_", " ")
        first = xml.lstrip()
        if first.startswith("<!--"):
            title = first[4:first.index("-->")].strip()
        scenarios.append((title, xml))
    return scenarios
