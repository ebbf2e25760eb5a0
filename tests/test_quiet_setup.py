"""What the README's commands print: only what a newcomer needs.  The kernels that run the
book's pages drop ipykernel's notice about TCP (and only that), and dev.sh silences only
setuptools' editable-install notice."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from coursebook.build import kernel_profile
from coursebook.kernel_log import NOTICE

pytestmark = pytest.mark.timeout(120)

KERNEL = """
import logging, sys, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="python3", stderr=sys.stderr)
kc.execute_interactive("import logging; logging.getLogger('IPKernelApp').warning('a warning that must still show')")
kc.stop_channels()
km.shutdown_kernel(now=True)
"""


def kernel_stderr(ipython_dir: Path | None) -> str:
    env = {**os.environ, **({"IPYTHONDIR": str(ipython_dir)} if ipython_dir else {})}
    ran = subprocess.run([sys.executable, "-c", KERNEL], capture_output=True, text=True, env=env, timeout=100)
    assert ran.returncode == 0, ran.stderr
    return ran.stderr


def test_the_books_kernels_say_nothing_of_tcp_and_everything_else(tmp_path):
    assert NOTICE in kernel_stderr(tmp_path / "plain-ipython"), "ipykernel no longer warns: drop the filter"
    quiet = kernel_stderr(kernel_profile(tmp_path / "_build"))
    assert NOTICE not in quiet and "a warning that must still show" in quiet, quiet


def test_dev_sh_silences_only_the_editable_install_notice():
    script = (ROOT / "dev.sh").read_text()
    assert 'ignore:Editable installation"' in script and "pip install -q -e" not in script
    assert "PYTHONWARNINGS=" not in script.replace('PYTHONWARNINGS="${PYTHONWARNINGS:+$PYTHONWARNINGS,}ignore:Editable installation"', "")
