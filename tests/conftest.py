"""Pytest configuration: make the repository root importable without installing the app."""

import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
	sys.path.insert(0, str(ROOT))

# No example database: keeps the work tree free of a .hypothesis directory.
settings.register_profile("core", database=None, deadline=None)
settings.load_profile("core")
