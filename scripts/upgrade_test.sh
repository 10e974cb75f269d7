#!/usr/bin/env bash
# Upgrade test: the app at the previous release tag, with the demo data and an administrator's edits,
# upgraded to THIS checkout; nothing may be lost, and a second `bench migrate` must change nothing.
# scripts/test.sh runs it as its own step; run it alone with the same environment (README, "Releases
# and upgrades"). The checks live in sales_reengineering/setup/upgrade_check.py.
#
#   1. the previous release: the newest tag vX.Y.Z reachable from HEAD that is not HEAD itself (else
#      v0.1.0), extracted with `git archive` into a temporary directory and run with PYTHONPATH pointing
#      there (PYTHONPATH comes before the bench's editable install, so the bench's app is not touched);
#   2. its own site (SR_UPGRADE_SITE, default upgrade_site), created once with ERPNext and kept; its
#      database is reset each run from the backup taken right after it was created;
#   3. the old release installed, its demo loaded (sr-load-demo --scale SR_UPGRADE_DEMO_SCALE, default
#      0.05), an administrator's edits made through the old code, and a snapshot of every record;
#   4. `bench migrate` with the bench's app (this checkout), snapshot, compare; then migrate again,
#      snapshot, compare: identical.
#
# Environment: SR_BENCH, SR_DB_ROOT_PASSWORD (as scripts/test.sh), SR_UPGRADE_SITE, SR_UPGRADE_FROM (a
# tag or commit to upgrade from), SR_UPGRADE_DEMO_SCALE, SR_SKIP_UPGRADE=1 (skip).
# Skips (exit 0, saying why) when asked to or when the checkout has no git metadata or no release tag.
set -euo pipefail

APP=sales_reengineering
CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/setup_decisions.sh
. "$CHECKOUT/scripts/lib/setup_decisions.sh"
BENCH=${SR_BENCH:-$HOME/frappe-bench}
SITE=${SR_UPGRADE_SITE:-upgrade_site}
DB_ROOT_PASSWORD=${SR_DB_ROOT_PASSWORD:-root}
SCALE=${SR_UPGRADE_DEMO_SCALE:-0.05}
START=$SECONDS

say() { printf '\n--> upgrade test: %s\n' "$*"; }
skip() {
	printf '\n==> Upgrade test skipped: %s\n' "$*"
	exit 0
}
die() {
	printf '\nERROR (upgrade test): %s\n' "$*" >&2
	exit 1
}

[ "${SR_SKIP_UPGRADE:-0}" = 1 ] && skip "SR_SKIP_UPGRADE=1"

# --- the release to upgrade from ---------------------------------------------------------------------
if ! git_error=$(git -C "$CHECKOUT" rev-parse --verify -q HEAD 2>&1 >/dev/null); then
	# a clone that git refuses to read (another user's: "dubious ownership") is an error, not a skip
	[ -e "$CHECKOUT/.git" ] && die "git cannot read $CHECKOUT: $git_error"
	skip "$CHECKOUT has no git metadata (a copy, not a clone), so there is no earlier release to install"
fi
head=$(git -C "$CHECKOUT" rev-parse HEAD)
FROM=${SR_UPGRADE_FROM:-}
if [ -z "$FROM" ]; then
	while read -r tag; do
		[ -n "$tag" ] || continue
		if [ "$(git -C "$CHECKOUT" rev-parse "$tag^{commit}")" != "$head" ]; then
			FROM=$tag
			break
		fi
	done < <(git -C "$CHECKOUT" tag --merged HEAD --sort=-v:refname --list 'v[0-9]*')
	if [ -z "$FROM" ] && git -C "$CHECKOUT" rev-parse -q --verify "v0.1.0^{commit}" >/dev/null; then
		FROM=v0.1.0 # HEAD is the first release itself: install it and upgrade it to the working tree
	fi
fi
[ -n "$FROM" ] || skip "no release tag (v*) reachable from HEAD in $CHECKOUT (a shallow clone without
tags? fetch them with: git fetch --tags)"
git -C "$CHECKOUT" rev-parse -q --verify "$FROM^{commit}" >/dev/null || die "$FROM is not a tag or commit of $CHECKOUT"
from_commit=$(git -C "$CHECKOUT" rev-parse --short "$FROM^{commit}")

# --- the bench ---------------------------------------------------------------------------------------
if [ ! -d "$BENCH/apps/frappe" ] || [ ! -x "$BENCH/env/bin/python" ]; then
	die "No bench at $BENCH (set SR_BENCH, or build one with scripts/setup.sh)."
fi
BENCH=$(cd "$BENCH" && pwd -P)
cd "$BENCH"
sr_use_bench_owner "$BENCH"
BENCH_CLI=$(sr_find_bench_cli "$OWNER_HOME") || die "No bench CLI that $OWNER can run (see scripts/test.sh)."
# run_bench [PYTHONPATH] args...: bench as the owner; a non-empty first argument puts that code first
run_bench() {
	local pythonpath=$1
	shift
	if [ -n "$pythonpath" ]; then
		as_owner env PYTHONPATH="$pythonpath" "$BENCH_CLI" "$@"
	else
		as_owner env -u PYTHONPATH "$BENCH_CLI" "$@"
	fi
}

WORK=$(as_owner mktemp -d "${TMPDIR:-/tmp}/sr_upgrade.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
OLD=$WORK/old
HELPER=$WORK/helper/sr_upgrade_check.py
OUT=$BENCH/sites/$SITE/upgrade_check
as_owner mkdir -p "$OLD" "$WORK/helper"
git -C "$CHECKOUT" archive "$FROM" | as_owner tar -x -C "$OLD" -f -
[ -f "$OLD/$APP/hooks.py" ] || die "git archive $FROM gave no $APP/hooks.py"
# the checks are this checkout's, run under either release's code, so under a name the app never has
as_owner cp "$CHECKOUT/$APP/setup/upgrade_check.py" "$HELPER"
# check PYTHONPATH_VALUE: python the helper's action under that code ("" = the bench's own app)
check() {
	local pythonpath=$1
	shift
	if [ -n "$pythonpath" ]; then
		(cd sites && as_owner env PYTHONPATH="$pythonpath" ../env/bin/python "$HELPER" "$@")
	else
		(cd sites && as_owner env -u PYTHONPATH ../env/bin/python "$HELPER" "$@")
	fi
}
# app_path PYTHONPATH_VALUE: where `bench execute` imports the app from
app_path() {
	run_bench "$1" --site "$SITE" execute frappe.get_app_path --args "['$APP']" 2>/dev/null | tail -n 1 | tr -d '"'
}
# logged NAME WHAT command...: run it with its output in $WORK/NAME.log; say how long it took; on
# failure show the end of the log and stop
logged() {
	local name=$1 what=$2 t=$SECONDS
	shift 2
	if ! "$@" >"$WORK/$name.log" 2>&1; then
		tail -n 40 "$WORK/$name.log" >&2
		die "$what failed (the end of its output is above)"
	fi
	printf '    %s: %ss\n' "$what" $((SECONDS - t))
}

say "from $FROM ($from_commit) to this checkout ($(git -C "$CHECKOUT" rev-parse --short HEAD) + working tree) on $SITE"

# --- the site and its reset points -------------------------------------------------------------------
# The site is created once. Two backups reset it: the fresh ERPNext site (upgrade_pristine), and the old
# release installed with its demo and the administrator's edits (upgrade_release, taken on the first run
# for a release and reused while its key holds: the release's commit, the demo's scale, the code of the
# edits and the Frappe and ERPNext versions). SR_UPGRADE_FRESH=1 rebuilds the second from the first.
PRISTINE=$BENCH/sites/$SITE/upgrade_pristine.sql.gz
RELEASE=$BENCH/sites/$SITE/upgrade_release.sql.gz
versions=$(grep -h '^__version__' apps/frappe/frappe/__init__.py apps/erpnext/erpnext/__init__.py | tr -d '\n')
edits_code=$(sed -n '/^def edit(/,/^# --- compare/p' "$CHECKOUT/$APP/setup/upgrade_check.py" | sha1sum | cut -c1-12)
release_key="$from_commit scale $SCALE edits $edits_code $versions"
# backup_to FILE: a database backup of the site, kept as FILE
backup_to() {
	logged backup "bench backup" run_bench "" --site "$SITE" backup
	local latest
	latest=$(find "sites/$SITE/private/backups" -name '*-database.sql.gz' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2)
	[ -n "$latest" ] || die "bench backup of $SITE wrote no database file"
	as_owner mv "$latest" "$1"
	as_owner find "sites/$SITE/private/backups" -name '*-site_config_backup.json' -delete
}
restore_from() {
	logged restore "bench restore ($(basename "$1"))" run_bench "" --site "$SITE" restore "$1" \
		--db-root-password "$DB_ROOT_PASSWORD" --force
}
new_site() {
	say "creating $SITE with ERPNext (first run only, a few minutes)"
	logged new-site "bench new-site $SITE" run_bench "" new-site "$SITE" --db-root-password "$DB_ROOT_PASSWORD" \
		--admin-password admin --install-app erpnext --no-mariadb-socket
	# no scheduled job may change records between the snapshots
	run_bench "" --site "$SITE" set-config pause_scheduler 1 >/dev/null
	backup_to "$PRISTINE"
	echo "$versions" | as_owner tee "$PRISTINE.versions" >/dev/null
}
if [ "${SR_UPGRADE_FRESH:-0}" != 1 ] && [ -s "$RELEASE" ] &&
	[ "$(cat "$RELEASE.key" 2>/dev/null)" = "$release_key" ]; then
	say "resetting $SITE to $FROM with its demo and the administrator's edits (reset point of an earlier run)"
	restore_from "$RELEASE"
	as_owner mkdir -p "$OUT"
	as_owner cp "$RELEASE.names.json" "$OUT/names.json"
	as_owner cp "$RELEASE.edits.json" "$OUT/edits.json"
else
	if [ ! -d "sites/$SITE" ]; then
		new_site
	elif [ ! -s "$PRISTINE" ]; then
		# an earlier first run stopped before its backup: the database may hold anything, start again
		say "$SITE has no reset point (an interrupted first run): dropping it and creating it again"
		logged drop-site "bench drop-site" run_bench "" drop-site "$SITE" --db-root-password "$DB_ROOT_PASSWORD" \
			--no-backup --force
		new_site
	else
		say "resetting $SITE to its fresh ERPNext database"
		restore_from "$PRISTINE"
		if [ "$(cat "$PRISTINE.versions" 2>/dev/null)" != "$versions" ]; then
			say "Frappe or ERPNext changed since the reset point was taken: migrating it and taking it again"
			logged migrate0 "bench migrate of the reset point" run_bench "" --site "$SITE" migrate
			backup_to "$PRISTINE"
			echo "$versions" | as_owner tee "$PRISTINE.versions" >/dev/null
		fi
	fi
	as_owner mkdir -p "$OUT"

	# --- the old release, its demo and an administrator's edits --------------------------------------
	got=$(app_path "$OLD")
	case $got in
	"$OLD"/*) ;;
	*) die "With PYTHONPATH=$OLD, bench still imports $APP from '$got', not from the extracted $FROM.
The old release cannot be installed this way on this bench; nothing was changed." ;;
	esac
	say "installing $APP $FROM (imported from $got)"
	logged install "bench install-app ($FROM)" run_bench "$OLD" --site "$SITE" install-app "$APP"
	check "$OLD" names "$SITE" "$OUT/names.json"
	say "loading the demo of $FROM (sr-load-demo --scale $SCALE)"
	logged demo "sr-load-demo ($FROM)" run_bench "$OLD" --site "$SITE" sr-load-demo --scale "$SCALE"
	say "an administrator's edits, made through $FROM"
	check "$OLD" edit "$SITE" "$OUT/edits.json"
	check "$OLD" settle "$SITE"
	say "keeping $FROM with its demo and edits as the reset point of later runs"
	backup_to "$RELEASE"
	as_owner cp "$OUT/names.json" "$RELEASE.names.json"
	as_owner cp "$OUT/edits.json" "$RELEASE.edits.json"
	echo "$release_key" | as_owner tee "$RELEASE.key" >/dev/null
fi
got=$(app_path "$OLD")
case $got in
"$OLD"/*) ;;
*) die "With PYTHONPATH=$OLD, bench imports $APP from '$got', not from the extracted $FROM." ;;
esac
check "$OLD" settle "$SITE"
check "$OLD" snapshot "$SITE" "$OUT/before.json" "$OUT/names.json"

# --- the upgrade -------------------------------------------------------------------------------------
NEW=""
got=$(app_path "")
if [ "$(readlink -f "$got")" != "$(readlink -f "$CHECKOUT/$APP")" ] &&
	! diff -rq --exclude=__pycache__ "$got" "$CHECKOUT/$APP" >/dev/null 2>&1; then
	# a developer's bench with another copy of the app (scripts/test.sh installs the checkout first)
	NEW=$CHECKOUT
	got=$(app_path "$NEW")
	case $got in
	"$CHECKOUT"/*) say "the bench's app is not this checkout: upgrading with PYTHONPATH=$CHECKOUT" ;;
	*) die "bench imports $APP from '$got', which is not this checkout ($CHECKOUT).
Install the checkout into the bench first (scripts/test.sh does), then run this again." ;;
	esac
fi
say "bench migrate to this checkout (imported from $got)"
logged migrate1 "bench migrate (the upgrade)" run_bench "$NEW" --site "$SITE" migrate
check "$NEW" settle "$SITE"
check "$NEW" snapshot "$SITE" "$OUT/after.json" "$OUT/names.json"
failed=0
check "$NEW" compare "$OUT/before.json" "$OUT/after.json" upgrade "$OUT/edits.json" || failed=1

say "bench migrate again"
logged migrate2 "bench migrate (again)" run_bench "$NEW" --site "$SITE" migrate
check "$NEW" settle "$SITE"
check "$NEW" snapshot "$SITE" "$OUT/again.json" "$OUT/names.json"
check "$NEW" compare "$OUT/after.json" "$OUT/again.json" same || failed=1

elapsed=$((SECONDS - START))
if [ "$failed" = 1 ]; then
	die "the upgrade from $FROM lost or changed data (PROBLEM lines above; snapshots in $OUT).
An intended change goes into INTENDED_CHANGES in $APP/setup/upgrade_check.py, with the reason. ($elapsed s)"
fi
say "passed: $FROM -> this checkout keeps every record and edit, and a second migrate changes nothing ($elapsed s)"
