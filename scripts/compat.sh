#!/usr/bin/env bash
# The compatibility suite: ERPNext's own tests (the modules in scripts/compat.py) on a clean site with
# this app installed. scripts/test.sh runs it after the integration suite; run it alone with
#
#   scripts/compat.sh                  # with the app: fails on any failure not in the known list
#   scripts/compat.sh --without-app    # the same tests without the app: proves the list honest
#   scripts/compat.sh --quick          # only the seven modules of the selling flow (SR_COMPAT_QUICK=1)
#   scripts/compat.sh [--without-app] <erpnext test module> ...   # only these modules
#
# The site (SR_COMPAT_SITE, default compat_site) belongs to this suite: every run puts it back to a
# baseline kept in sites/<site>/private/compat-baseline/: a backup of a fresh ERPNext site after the
# bootstrap of ERPNext's CI (its before_tests and global test records, made once), with the site's
# .test_log of that moment (frappe's record of which test records exist, which a restore of the
# database does not roll back, so it is put back too). A missing site is created with ERPNext (a few
# minutes, once); the baseline is made again when the bench's Frappe or ERPNext version changes. With
# the app, the restore installs this app afresh.
# Then scripts/compat.py bootstraps the site as ERPNext's CI does, runs the tests, prints the versions
# it found, every failure, and compares them with scripts/compat_known_failures.txt.
#
# Environment: SR_BENCH (default ~/frappe-bench), SR_COMPAT_SITE (default compat_site),
#   SR_DB_ROOT_PASSWORD (default root), SR_COMPAT_QUICK=1 (as --quick), SR_COMPAT_JSON (write every
#   test's outcome and time there).
set -euo pipefail

APP=sales_reengineering
CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/setup_decisions.sh
. "$CHECKOUT/scripts/lib/setup_decisions.sh"
BENCH=${SR_BENCH:-$HOME/frappe-bench}
SITE=${SR_COMPAT_SITE:-compat_site}
DB_ROOT_PASSWORD=${SR_DB_ROOT_PASSWORD:-root}
KNOWN=$CHECKOUT/scripts/compat_known_failures.txt

MODE=with-app
QUICK=()
[ "${SR_COMPAT_QUICK:-0}" = 1 ] && QUICK=(--quick)
while [ $# -gt 0 ]; do
	case "$1" in
	--without-app) MODE=without-app ;;
	--quick) QUICK=(--quick) ;;
	--all) QUICK=() ;; # the default; kept for older instructions
	-*)
		echo "usage: scripts/compat.sh [--without-app] [--quick] [erpnext test module ...]" >&2
		exit 2
		;;
	*) break ;;
	esac
	shift
done

die() {
	printf '\nERROR: %s\n' "$*" >&2
	exit 1
}
[ "$SITE" != "${SR_TEST_SITE:-test_site}" ] || die "SR_COMPAT_SITE is the integration test site ($SITE).
The compatibility suite restores its site from a baseline on every run; give it a site of its own."
if [ ! -x "$BENCH/env/bin/python" ] || [ ! -d "$BENCH/apps/erpnext" ]; then
	die "No bench with ERPNext at $BENCH (set SR_BENCH)."
fi
BENCH=$(cd "$BENCH" && pwd -P)
cd "$BENCH"

# bench as the bench's owner, as scripts/test.sh does
sr_use_bench_owner "$BENCH"
BENCH_CLI=$(sr_find_bench_cli "$OWNER_HOME") || die "No bench CLI that $OWNER can run (see scripts/test.sh)."
run_bench() { as_owner "$BENCH_CLI" "$@"; }
say() { printf '\n==> %s\n' "$*"; }

started=$(date +%s)
# scripts/compat.py and the list, where the bench's owner can read them wherever the checkout lives
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$CHECKOUT/scripts/compat.py" "$KNOWN" "$work/"
chmod 755 "$work"
chmod 644 "$work"/*
[ "$(id -u)" = 0 ] && chown "$OWNER" "$work"
BASE="$BENCH/sites/$SITE/private/compat-baseline" # absolute: bench runs in sites/
stamp=$(as_owner env/bin/python -c 'import frappe, erpnext; print("frappe", frappe.__version__, "erpnext", erpnext.__version__)')
for app in frappe erpnext; do
	stamp="$stamp $(as_owner git -C "apps/$app" rev-parse HEAD 2>/dev/null || echo no-git)"
done

compat_py() { (cd sites && as_owner env PYTHONWARNINGS=ignore ../env/bin/python "$work/compat.py" --site "$SITE" --known "$work/$(basename "$KNOWN")" "$@") 2>&1; }
make_baseline() {
	run_bench --site "$SITE" set-config allow_tests true >/dev/null
	as_owner rm -f "sites/$SITE/.test_log"
	compat_py --mode without-app --bootstrap-only
	as_owner mkdir -p "$BASE"
	as_owner find "$BASE" -mindepth 1 -delete
	run_bench --site "$SITE" backup --backup-path "$BASE" >/dev/null
	as_owner sh -c "mv $BASE/*-database.sql.gz $BASE/erpnext.sql.gz && rm -f $BASE/*-site_config_backup.json"
	as_owner cp "sites/$SITE/.test_log" "$BASE/test_log"
	echo "$stamp" | as_owner tee "$BASE/stamp" >/dev/null
}

if [ ! -d "sites/$SITE" ]; then
	say "Creating $SITE with ERPNext, and its baseline (once, a few minutes)"
	run_bench new-site "$SITE" --db-root-password "$DB_ROOT_PASSWORD" --admin-password admin \
		--install-app erpnext --no-mariadb-socket >/dev/null
	run_bench --site "$SITE" set-config allow_tests true >/dev/null
	make_baseline
elif [ ! -s "$BASE/erpnext.sql.gz" ] || [ "$(cat "$BASE/stamp" 2>/dev/null)" != "$stamp" ]; then
	say "Reinstalling $SITE with ERPNext only, for a new baseline ($([ -s "$BASE/stamp" ] && echo "versions changed" || echo "none yet"))"
	if run_bench --site "$SITE" list-apps 2>/dev/null | grep -q "^$APP\b"; then
		run_bench --site "$SITE" uninstall-app "$APP" --yes --no-backup
	fi
	run_bench --site "$SITE" reinstall --yes --admin-password admin --db-root-password "$DB_ROOT_PASSWORD" >/dev/null
	make_baseline
fi

install=()
[ "$MODE" = with-app ] && install=(--install-app "$APP")
say "Restoring $SITE from its baseline (ERPNext after its CI bootstrap)${install:+ and installing $APP from $CHECKOUT}"
run_bench --site "$SITE" restore "$BASE/erpnext.sql.gz" --db-root-password "$DB_ROOT_PASSWORD" \
	--admin-password admin "${install[@]}" >/dev/null
as_owner cp "$BASE/test_log" "sites/$SITE/.test_log"
run_bench --site "$SITE" set-config allow_tests true >/dev/null
reset_seconds=$(($(date +%s) - started))
echo "Reset in ${reset_seconds} s"

say "ERPNext's tests on $SITE, $MODE (checkout $(git -C "$CHECKOUT" describe --always --dirty 2>/dev/null || echo '?'))"
rc=0
compat_py --mode "$MODE" --json "$work/results.json" "${QUICK[@]}" "$@" || rc=$?
[ -z "${SR_COMPAT_JSON:-}" ] || cp "$work/results.json" "$SR_COMPAT_JSON" 2>/dev/null || true
echo "Compatibility suite: $(($(date +%s) - started)) s in all (reset ${reset_seconds} s)"
exit "$rc"
