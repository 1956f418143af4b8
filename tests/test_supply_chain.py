"""Static security analysis and a lock file with hashes. (Known vulnerabilities need a vulnerability database that
these machines cannot reach: see docs/security.md, Known gaps.)"""

import subprocess
import sys
from pathlib import Path

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
