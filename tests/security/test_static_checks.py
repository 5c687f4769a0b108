"""ruff's security rules (flake8-bandit, "S") stay on for the package, with zero findings; an
exception is only ever a `# noqa: Sxxx  (reason)` in place, never a blanket ignore."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).with_name("ruff")


def test_the_security_rules_are_selected_and_never_ignored_for_the_package():
    config = tomllib.loads((ROOT / "ruff.toml").read_text(encoding="utf-8"))["lint"]
    assert "S" in config["select"]
    assert not any(rule.startswith("S") for rule in config.get("ignore", []))
    for pattern in config.get("per-file-ignores", {}):
        assert not pattern.startswith(("lifelong_xblocks", "*", "**")), pattern


def test_the_package_has_no_security_findings():
    result = subprocess.run([str(RUFF), "check", "--select", "S", "--output-format", "concise", "lifelong_xblocks"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_every_noqa_for_a_security_rule_gives_its_reason():
    for path in [*ROOT.joinpath("lifelong_xblocks").rglob("*.py"), *ROOT.joinpath("scripts").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.search(r"#\s*noqa:[^#]*\bS\d{3}\b(.*)", line)
            if match:
                assert re.search(r"\(\S.*\)", match.group(1)), f"{path}:{number}: say why in (...)"
