"""A DocType whose JSON changed since the last release must carry a newer `modified`.

`bench migrate` syncs a DocType from its JSON only when the file's `modified` differs from the one stored
on the site, so a field or Select option added without bumping it reaches fresh installs but never an
upgraded site (seen: Channel Price Exception's "Sales Invoice" option and the "Pending Registration"
conflict type). The release is the newest `v*` tag reachable from HEAD, as in the upgrade test.
"""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _git(*args):
	return subprocess.run(
		["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False
	)


def _last_release():
	if not (ROOT / ".git").exists():
		pytest.skip("no git metadata in this checkout: nothing to compare with the last release")
	tag = _git("describe", "--tags", "--abbrev=0", "--match", "v*", "HEAD").stdout.strip()
	if not tag:
		pytest.skip("no release tag (v*) reachable from HEAD")
	return tag


def _modified(text):
	return json.loads(text).get("modified")


def test_changed_doctypes_bump_modified():
	tag = _last_release()
	old_files = set(
		_git("ls-tree", "-r", "--name-only", tag, "--", "sales_reengineering").stdout.split()
	)
	stale = []
	for path in sorted(ROOT.glob("sales_reengineering/*/doctype/*/*.json")):
		rel = path.relative_to(ROOT).as_posix()
		if path.parent.name != path.stem or rel not in old_files:
			continue  # not a DocType definition, or new since the release (a fresh sync)
		old = _git("show", f"{tag}:{rel}").stdout
		new = path.read_text(encoding="utf-8")
		if json.loads(old) != json.loads(new) and _modified(old) == _modified(new):
			stale.append(rel)
	assert not stale, (
		f"changed since {tag} without a new 'modified' (an upgraded site would never get the change; "
		f"set 'modified' to the time of the change): {stale}"
	)
