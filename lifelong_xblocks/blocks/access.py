"""Who may call which handler: every installed block of the package and the policy of each handler.

Read from the classes themselves (``xblock.v1`` entry points named ``lifelong_*``; handlers are the
attributes XBlock marks with ``_is_xblock_handler``), so a block or handler added later is listed
without anyone remembering to.  ``scripts/security_table.py`` writes the table into docs/security.md;
tests/security checks that every handler declares a policy and that the document matches.
"""
from importlib.metadata import entry_points

from lifelong_xblocks.blocks.handlers import ANYONE, LEARNER, OWNER, STAFF, STUDIO

PREFIX = "lifelong_"
POLICY_WORDS = {
    ANYONE: "anyone, also anonymous",
    LEARNER: "signed-in learner",
    OWNER: "the owner of the object (signed in)",
    STAFF: "course staff",
    STUDIO: "Studio authors (refused to LMS learners)",
}


def block_classes():
    """``[(tag, class)]`` of the package's installed blocks, sorted by tag."""
    found = {ep.name: ep for ep in entry_points(group="xblock.v1") if ep.name.startswith(PREFIX)}
    return [(tag, found[tag].load()) for tag in sorted(found)]


def handlers_of(cls):
    """``[(name, handler)]`` of every handler of ``cls`` (its own and inherited), sorted by name."""
    return [(name, getattr(cls, name)) for name in sorted(dir(cls))
            if getattr(getattr(cls, name, None), "_is_xblock_handler", False)]


def access_table():
    """``[(tag, handler, methods, policy)]``; ``policy`` is ``None`` for a handler that declares none."""
    return [(tag, name, getattr(handler, "http_methods", ("POST",)), getattr(handler, "access_policy", None))
            for tag, cls in block_classes() for name, handler in handlers_of(cls)]


def access_table_markdown():
    """The table docs/security.md shows under "## Who may call which handler"."""
    lines = ["| block | handler | method | policy | who |", "| --- | --- | --- | --- | --- |"]
    for tag, name, methods, policy in access_table():
        lines.append(f"| `{tag}` | `{name}` | {', '.join(methods)} | `{policy}` | {POLICY_WORDS.get(policy, '?')} |")
    return "\n".join(lines) + "\n"
