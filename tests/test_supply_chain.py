"""Static security analysis and known vulnerabilities in the locked dependencies."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_bandit_finds_nothing_of_medium_or_high_severity():
    run = subprocess.run([sys.executable, "-m", "bandit", "-r", str(ROOT / "src"), "-q", "-ll", "-f", "txt"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:]


def test_the_lock_file_pins_every_package_with_a_hash():
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    pins = [line for line in lines if line and not line.startswith((" ", "#", "--"))]
    assert pins and all("==" in line for line in pins)
    assert all(line.rstrip().endswith("\\") for line in pins), "every pin is followed by its --hash lines"


def test_no_known_vulnerabilities_in_the_locked_dependencies():
    if shutil.which("pip-audit") is None and not (Path(sys.executable).parent / "pip-audit").exists():
        pytest.skip("pip-audit is not installed")
    run = subprocess.run([str(Path(sys.executable).parent / "pip-audit"), "-r", str(ROOT / "requirements.lock"),
                          "--no-deps", "--disable-pip", "--progress-spinner", "off"],
                         capture_output=True, text=True, timeout=600)
    unaudited = run.stdout.count("could not be audited") + run.stderr.count("could not be audited")
    if unaudited and "No known vulnerabilities" not in run.stdout and "Found" not in run.stdout:
        pytest.skip("the vulnerability database cannot be reached from here (no network)")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
