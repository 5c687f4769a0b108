#!/usr/bin/env python3
"""Keep the package's gettext catalog (domain ``text``) in step with the source.

    python scripts/translations.py extract   # collect msgids, merge them into every text.po
    python scripts/translations.py compile   # text.po -> text.mo (msgfmt --check)
    python scripts/translations.py check     # exit 1 listing what is missing, untranslated,
                                             # fuzzy, has broken placeholders, or a stale .mo

Where the strings come from:

* ``lifelong_xblocks/**/*.py`` - xgettext (Python) with the keywords ``_``, ``gettext``,
  ``gettext_lazy``, ``gettext_noop``, ``N_``, ``ngettext:1,2`` (and Django's lazy/context
  variants).  ``gettext_noop``/``N_`` mark field labels, choices and the ``js_strings`` that
  are translated server-side and handed to JavaScript.
* ``templates/**/*.html`` - Django templates, turned into something xgettext reads by Django's
  own ``templatize`` (exactly what ``makemessages`` does), so ``{% trans %}`` and
  ``{% blocktrans %}`` (``with``, ``count ... plural``) give the msgids Django looks up at
  render time, e.g. ``Played: %(percent)s%%``.

Needs GNU gettext (xgettext, msgmerge, msgfmt), polib and Django.
"""
import argparse
import ast
import gettext as gettext_module
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "lifelong_xblocks"
TEMPLATES = REPO / "templates"
LOCALE_DIR = PACKAGE / "translations"
DOMAIN = "text"
LOCALES = ("zh_CN",)
TEMPLATE_SUFFIXES = (".html",)

# Keywords xgettext looks for in Python code (``-k`` first switches its defaults off).
PY_KEYWORDS = (
    "_", "gettext", "gettext_lazy", "gettext_noop", "N_", "ngettext:1,2", "ngettext_lazy:1,2",
    "pgettext:1c,2", "npgettext:1c,2,3", "pgettext_lazy:1c,2", "npgettext_lazy:1c,2,3",
)
# Names whose first argument must be a literal for extraction to see it (checked with ``ast``).
MARKERS = {"_", "gettext", "gettext_lazy", "gettext_noop", "N_", "ngettext", "ngettext_lazy"}

HEADER = {
    "Project-Id-Version": "lifelong-xblocks",
    "Report-Msgid-Bugs-To": "",
    "Language-Team": "Chinese (Simplified)",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}
LOCALE_HEADERS = {
    "zh_CN": {"Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;"},
}


def po_path(locale):
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale):
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"


def python_sources():
    return sorted(path for path in PACKAGE.rglob("*.py")
                  if "__pycache__" not in path.parts and LOCALE_DIR not in path.parents)


def template_sources():
    if not TEMPLATES.is_dir():
        return []
    return sorted(path for path in TEMPLATES.rglob("*")
                  if path.is_file() and path.name.endswith(TEMPLATE_SUFFIXES))


def _run(args, **kwargs):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603  (our own gettext argv, no shell)
    except FileNotFoundError as error:
        raise SystemExit(f"{args[0]} is missing: install GNU gettext (make system-deps)") from error
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{error.stderr}") from error


def _templatize(source, origin):
    """Django's makemessages preprocessing of a template (needs no project settings)."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    if not settings.configured:
        settings.configure()
    from django.utils.translation.template import templatize  # pylint: disable=import-outside-toplevel
    return templatize(source, origin=origin)


# ---- extract ---------------------------------------------------------------------------------
def extract_pot(output):
    """Write a .pot of every msgid in the current source to ``output``; return it (polib)."""
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="lifelong-i18n-") as work:
        work = Path(work)
        files = [str(path.relative_to(REPO)) for path in python_sources()]
        # Templates are templatized into the work folder under their own relative path + ".py";
        # line numbers are preserved, and the references are mapped back below.
        for template in template_sources():
            relative = template.relative_to(REPO)
            target = work / (str(relative) + ".py")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_templatize(template.read_text(encoding="utf-8"), str(relative)),
                              encoding="utf-8")
            files.append(str(target))
        listing = work / "files.txt"
        listing.write_text("\n".join(files) + "\n", encoding="utf-8")
        raw = work / "raw.pot"
        _run(["xgettext", "--language=Python", "--from-code=UTF-8", "--add-comments=Translators",
              "--add-location=file", "--no-wrap", "--sort-by-file", "-k",
              *[f"--keyword={keyword}" for keyword in PY_KEYWORDS],
              "--package-name=lifelong-xblocks", "--msgid-bugs-address=",
              f"--files-from={listing}", f"--output={raw}"], cwd=REPO)
        pot = polib.pofile(str(raw), wrapwidth=0) if raw.exists() else polib.POFile(wrapwidth=0)
        prefix = str(work) + os.sep
        for entry in pot:
            entry.occurrences = [
                (path[len(prefix):-3] if path.startswith(prefix) else path, line)
                for path, line in entry.occurrences
            ]
            # Every blocktrans string is %-formatted by Django, whatever xgettext guessed.
            if any(path.startswith("templates" + os.sep) for path, _ in entry.occurrences) \
                    and "%(" in entry.msgid and "python-format" not in entry.flags:
                entry.flags.append("python-format")
        # References now name the templates themselves: order by file (stable: by line within).
        pot[:] = sorted(pot, key=lambda entry: entry.occurrences[0][0] if entry.occurrences else "")
        pot.metadata.update(HEADER)
        output.parent.mkdir(parents=True, exist_ok=True)
        pot.save(str(output))
    return pot


def _without_dates(text):
    return re.sub(r'^"(POT-Creation-Date|PO-Revision-Date): .*"$', "", text, flags=re.M)


def merge(pot_file, locale):
    """Merge the template into ``text.po`` of ``locale``, keeping translations (msgmerge)."""
    target = po_path(locale)
    target.parent.mkdir(parents=True, exist_ok=True)
    old_text = target.read_text(encoding="utf-8") if target.exists() else None
    with tempfile.TemporaryDirectory(prefix="lifelong-i18n-") as work:
        merged = Path(work) / f"{DOMAIN}.po"
        if old_text is None:
            _run(["msginit", "--no-translator", "--no-wrap", f"--locale={locale}.UTF-8",
                  f"--input={pot_file}", f"--output-file={merged}"])
        else:
            _run(["msgmerge", "--quiet", "--no-wrap", "--no-fuzzy-matching", "--add-location=file",
                  "--sort-by-file", f"--output-file={merged}", str(target), str(pot_file)])
        po = polib.pofile(str(merged), wrapwidth=0)
        po.metadata.update(HEADER)
        po.metadata.update(LOCALE_HEADERS.get(locale, {"Language": locale}))
        po.metadata["Last-Translator"] = "lifelong-xblocks maintainers"
        po.header = "Translations of lifelong-xblocks.\nThis file is distributed under the same license as the package."
        # Bring back translations of strings that went away and have come back.
        if old_text is not None:
            obsolete = {(e.msgctxt, e.msgid): e for e in polib.pofile(old_text, wrapwidth=0).obsolete_entries()}
            for entry in po:
                if entry.obsolete or entry.translated():
                    continue
                old = obsolete.get((entry.msgctxt, entry.msgid))
                if old is not None and old.msgid_plural == entry.msgid_plural and "fuzzy" not in old.flags:
                    entry.msgstr, entry.msgstr_plural = old.msgstr, dict(old.msgstr_plural)
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            live = {(e.msgctxt, e.msgid) for e in po if not e.obsolete}
            for entry in [e for e in po if e.obsolete and (e.msgctxt, e.msgid) in live]:
                po.remove(entry)
        new_text = str(po) + "\n"
    if old_text is None or _without_dates(old_text) != _without_dates(new_text):
        target.write_text(new_text, encoding="utf-8")
        return True
    return False


# ---- compile ---------------------------------------------------------------------------------
def compile_catalog(locale):
    _run(["msgfmt", "--check", "--output-file", str(mo_path(locale)), str(po_path(locale))])


# ---- check -----------------------------------------------------------------------------------
BRACE_RE = re.compile(r"(?<!\{)\{([A-Za-z_]\w*|\d*)(?:\.[A-Za-z_]\w*|\[[^\]]*\])*(![rsa])?(:[^{}]*)?\}")
PERCENT_RE = re.compile(r"%(?:\(([^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def brace_fields(text):
    return sorted(match.group(1) for match in BRACE_RE.finditer(text.replace("{{", "").replace("}}", "")))


def percent_fields(text):
    return sorted((name or "", conversion) for name, conversion in PERCENT_RE.findall(text))


def placeholder_problems(entry):
    """Placeholders of every msgstr must be those of the msgid (and %-strings must format)."""
    problems = []
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    percent = "python-format" in entry.flags
    for target in filter(None, targets):
        source = sources[-1] if entry.msgid_plural else entry.msgid
        wanted = set(brace_fields(entry.msgid)) | set(brace_fields(source))
        if set(brace_fields(target)) != wanted:
            problems.append(f"{entry.msgid!r}: msgstr {target!r} has {{...}} fields "
                            f"{sorted(set(brace_fields(target)))}, msgid has {sorted(wanted)}")
        if percent:
            named = {name for name, _ in percent_fields(entry.msgid) + percent_fields(source) if name}
            got = {name for name, _ in percent_fields(target) if name}
            if named != got:
                problems.append(f"{entry.msgid!r}: msgstr {target!r} has %(...)s fields {sorted(got)}, "
                                f"msgid has {sorted(named)}")
            try:
                if named:
                    _ = target % {name: "x" for name in got}
                else:
                    _ = target % tuple("x" for (_n, c) in percent_fields(target) if c != "%")
            except (KeyError, ValueError, TypeError) as error:
                problems.append(f"{entry.msgid!r}: msgstr {target!r} is not a valid %-format ({error})")
    return problems


def _marker_calls():
    """``(path, call node, marker name)`` for every call of a marker function in the package."""
    for path in python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else None
            if name in MARKERS:
                yield path, node, name


def literal_problems(pot=None):
    """Marked messages xgettext cannot see as Python evaluates them (f-strings, ``"a" + "b"``,
    ``%``-formatting inside the call), and literals the extraction missed."""
    problems = []
    extracted = {entry.msgid for entry in pot} | {entry.msgid_plural for entry in pot} if pot is not None else None
    for path, node, name in _marker_calls():
        where = f"{path.relative_to(REPO)}:{node.lineno}: {name}()"
        for arg in node.args[:2] if name.startswith("ngettext") else node.args[:1]:
            if isinstance(arg, ast.JoinedStr):
                problems.append(f"{where} of an f-string cannot be translated; "
                                "use a literal with {placeholders} and .format() after the call")
            elif isinstance(arg, ast.BinOp):
                problems.append(f"{where} of an expression ({ast.unparse(arg)[:60]}) is not extracted; "
                                "use one literal (adjacent literals are fine) and format after the call")
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str) and extracted is not None \
                    and arg.value not in extracted:
                problems.append(f"{where}: {arg.value!r} was not extracted")
    return problems


def nonliteral_notes():
    """Direct ``_(variable)``-style calls: fine when the value was marked elsewhere (N_)."""
    notes = []
    for path, node, name in _marker_calls():
        arg = node.args[0]
        if path == PACKAGE / "i18n.py" or (isinstance(arg, ast.Constant) and isinstance(arg.value, str)) \
                or isinstance(arg, (ast.JoinedStr, ast.BinOp)):
            continue
        notes.append(f"{path.relative_to(REPO)}:{node.lineno}: {name}({ast.unparse(arg)[:60]}) is not a literal; "
                     "fine if the value was marked with N_/gettext_noop where it is defined")
    return notes


def mo_problems(locale):
    """The .mo must hold exactly the translated, non-fuzzy entries of the .po."""
    po = polib.pofile(str(po_path(locale)))
    if not mo_path(locale).exists():
        return [f"{mo_path(locale).relative_to(REPO)} is missing: run `scripts/translations.py compile`"]
    with open(mo_path(locale), "rb") as handle:
        mo = gettext_module.GNUTranslations(handle)
    compiled = dict(mo._catalog)  # pylint: disable=protected-access
    compiled.pop("", None)
    expected = {}
    for entry in po.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(key, int(index))] = text
        else:
            expected[key] = entry.msgstr
    if compiled != expected:
        changed = sorted(str(k) for k in set(compiled) | set(expected) if compiled.get(k) != expected.get(k))
        return [f"{mo_path(locale).relative_to(REPO)} is stale (differs in {len(changed)} messages, "
                f"e.g. {changed[:3]}): run `scripts/translations.py compile`"]
    if mo.plural(2) != 0 and po.metadata.get("Plural-Forms", "").startswith("nplurals=1"):
        return [f"{mo_path(locale).relative_to(REPO)} has the wrong Plural-Forms"]
    return []


def catalog_problems(pot, locale):
    """Missing / untranslated / fuzzy msgids and placeholder mismatches in ``text.po``."""
    path = po_path(locale)
    if not path.exists():
        return [f"{path.relative_to(REPO)} is missing: run `scripts/translations.py extract`"]
    po = polib.pofile(str(path))
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    problems = []
    for wanted in pot:
        entry = entries.get((wanted.msgctxt, wanted.msgid))
        label = repr(wanted.msgid) + (f" (context {wanted.msgctxt!r})" if wanted.msgctxt else "")
        where = ", ".join(sorted({p for p, _ in wanted.occurrences}))
        if entry is None or entry.msgid_plural != wanted.msgid_plural:
            problems.append(f"missing: {label}  [{where}]")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {label}  [{where}]")
        elif not entry.translated():
            problems.append(f"untranslated: {label}  [{where}]")
    for key in ("Language", "Plural-Forms"):
        expected = LOCALE_HEADERS.get(locale, {}).get(key)
        if expected and po.metadata.get(key) != expected:
            problems.append(f"header {key} is {po.metadata.get(key)!r}, should be {expected!r}")
    if "charset=UTF-8" not in po.metadata.get("Content-Type", ""):
        problems.append("header Content-Type must say charset=UTF-8")
    for entry in po.translated_entries():
        problems += [f"placeholders: {problem}" for problem in placeholder_problems(entry)]
    return problems


# ---- commands --------------------------------------------------------------------------------
def cmd_extract(args):
    with tempfile.TemporaryDirectory(prefix="lifelong-i18n-") as work:
        pot_file = Path(work) / f"{DOMAIN}.pot"
        pot = extract_pot(pot_file)
        for locale in args.locales:
            changed = merge(pot_file, locale)
            po = polib.pofile(str(po_path(locale)))
            print(f"{po_path(locale).relative_to(REPO)}: {len(pot)} msgids, "
                  f"{len(po.untranslated_entries())} untranslated, {len(po.fuzzy_entries())} fuzzy"
                  + ("" if changed else " (unchanged)"))
        for problem in literal_problems(pot):
            print("warning:", problem, file=sys.stderr)
    if args.verbose:
        for note in nonliteral_notes():
            print("note:", note, file=sys.stderr)
    return 0


def cmd_compile(args):
    for locale in args.locales:
        compile_catalog(locale)
        print(f"wrote {mo_path(locale).relative_to(REPO)}")
    return 0


def cmd_check(args):
    with tempfile.TemporaryDirectory(prefix="lifelong-i18n-") as work:
        pot = extract_pot(Path(work) / f"{DOMAIN}.pot")
    problems = literal_problems(pot)
    for locale in args.locales:
        problems += [f"{locale}: {problem}" for problem in catalog_problems(pot, locale) + mo_problems(locale)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problem(s). Run `make translations`, translate what is listed in "
              f"the .po, then compile.", file=sys.stderr)
        return 1
    print(f"{len(pot)} msgids, all translated for {', '.join(args.locales)}; .mo up to date.")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("command", choices=("extract", "compile", "check"))
    parser.add_argument("--locale", dest="locales", action="append", help="default: every shipped locale")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="extract: also list translate calls of non-literal values")
    args = parser.parse_args(argv)
    args.locales = args.locales or list(LOCALES)
    for tool in ("xgettext", "msgmerge", "msgfmt"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: install GNU gettext (make system-deps)")
    return {"extract": cmd_extract, "compile": cmd_compile, "check": cmd_check}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
