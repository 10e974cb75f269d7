#!/usr/bin/env bash
# Run the whole test suite: the pure domain-core suite, then the integration suite on a real
# Frappe v15 + ERPNext v15 site. This is the README's test command and what CI runs (.ci/run).
#
# It needs an existing bench (build one with scripts/setup.sh). It:
#   1. runs the pure pytest suite (no bench needed),
#   2. starts MariaDB and the bench's Redis servers if they are not running,
#   3. installs THIS checkout into the bench (not a stale copy),
#   4. creates the test site if missing; otherwise uninstalls the app (and checks that ERPNext is left
#      intact), then installs it afresh and migrates,
#   5. runs `CI=1 bench --site <test site> run-tests --app sales_reengineering`.
# Any failure exits non-zero.
#
# Environment:
#   SR_BENCH             bench directory            (default ~/frappe-bench)
#   SR_TEST_SITE         test site name             (default test_site)
#   SR_DB_ROOT_PASSWORD  MariaDB root password      (default root)
#   SR_SKIP_PURE=1 / SR_SKIP_INTEGRATION=1          run only one of the two suites
#   SR_SKIP_REINSTALL=1  keep the installed app and only migrate (faster local runs)
set -euo pipefail

APP=sales_reengineering
CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${SR_BENCH:-$HOME/frappe-bench}
SITE=${SR_TEST_SITE:-test_site}
DB_ROOT_PASSWORD=${SR_DB_ROOT_PASSWORD:-root}

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

# --- 1. the pure suite ------------------------------------------------------------------------------
if [ "${SR_SKIP_PURE:-0}" != 1 ]; then
	say "Pure domain-core suite (pytest, no bench)"
	PY=${PYTHON:-python3}
	if ! "$PY" -c "import pytest, hypothesis" 2>/dev/null; then
		"$PY" -m pip install --quiet pytest hypothesis
	fi
	(cd "$CHECKOUT" && "$PY" -m pytest tests -q -p no:cacheprovider)
fi

[ "${SR_SKIP_INTEGRATION:-0}" = 1 ] && exit 0

# --- 2. the bench and its services ------------------------------------------------------------------
if [ ! -d "$BENCH/apps/frappe" ] || [ ! -d "$BENCH/apps/erpnext" ] || [ ! -x "$BENCH/env/bin/python" ]; then
	die "No bench with Frappe and ERPNext at $BENCH.
Make one with:   scripts/setup.sh        (see README.md, 'Set up')
or point SR_BENCH at an existing bench that has frappe and erpnext (version-15)."
fi
BENCH=$(cd "$BENCH" && pwd -P)
cd "$BENCH"
OWNER=$(stat -c %U "$BENCH")

# Run a command as the bench's owner. bench refuses to run as root, unless the bench names a
# frappe_user in sites/common_site_config.json (then it drops to that user itself).
as_owner() {
	if [ "$(id -u)" = 0 ] && [ "$OWNER" != root ]; then
		runuser -u "$OWNER" -- env HOME="$(getent passwd "$OWNER" | cut -d: -f6)" PATH="$PATH" "$@"
	else
		"$@"
	fi
}
BENCH_CLI=$(command -v bench || true)
[ -n "$BENCH_CLI" ] || die "The bench CLI is not installed: pip install frappe-bench"
if command -v pyenv >/dev/null 2>&1 && pyenv which bench >/dev/null 2>&1; then
	BENCH_CLI=$(pyenv which bench)
fi
run_bench() { as_owner "$BENCH_CLI" "$@"; }

say "Starting MariaDB and Redis"
if ! mysqladmin ping --silent >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		service mariadb start >/dev/null 2>&1 || service mysql start >/dev/null 2>&1 ||
			(mysqld_safe >/dev/null 2>&1 &)
	else
		sudo service mariadb start
	fi
	for _ in $(seq 1 60); do mysqladmin ping --silent >/dev/null 2>&1 && break; sleep 1; done
	mysqladmin ping --silent >/dev/null 2>&1 || die "MariaDB did not start"
fi
for conf in redis_cache redis_queue; do
	port=$(awk '/^port /{print $2}' "config/$conf.conf")
	if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
		as_owner redis-server "config/$conf.conf" --daemonize yes >/dev/null
		for _ in $(seq 1 30); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
		redis-cli -p "$port" ping >/dev/null 2>&1 || die "Redis ($conf, port $port) did not start"
	fi
done

# --- 3. this checkout into the bench ----------------------------------------------------------------
say "Installing this checkout ($CHECKOUT) into $BENCH/apps/$APP"
target="apps/$APP"
if [ -L "$target" ] && [ "$(readlink -f "$target")" = "$CHECKOUT" ]; then
	: # already the checkout under test (a developer's symlink)
else
	rm -rf "$target"
	mkdir -p "$target"
	# a copy, so that the bench's user can read it wherever the checkout lives
	tar -C "$CHECKOUT" --exclude=.pytest_cache --exclude=__pycache__ -cf - . | tar -C "$target" -xf -
	[ "$(id -u)" = 0 ] && chown -R "$OWNER": "$target"
fi
as_owner env/bin/python -m pip install --quiet --no-deps -e "$target"
grep -qx "$APP" sites/apps.txt || { sed -i -e '$a\' sites/apps.txt; echo "$APP" >> sites/apps.txt; }

# Portal pages render website.bundle.css through sites/assets/assets.json: a bench built with
# --skip-assets has none, and every portal-page test would fail on it.
if [ ! -s sites/assets/assets.json ]; then
	say "Building the bench's assets (missing)"
	run_bench build
fi

# --- 4. the test site ------------------------------------------------------------------------------
if [ ! -d "sites/$SITE" ]; then
	say "Creating test site $SITE with ERPNext (a few minutes)"
	run_bench new-site "$SITE" --db-root-password "$DB_ROOT_PASSWORD" --admin-password admin \
		--install-app erpnext --no-mariadb-socket
fi
run_bench --site "$SITE" set-config allow_tests true >/dev/null
installed=$(run_bench --site "$SITE" list-apps 2>/dev/null || true)
if echo "$installed" | grep -q "^$APP\b"; then
	if [ "${SR_SKIP_REINSTALL:-0}" != 1 ]; then
		say "Uninstalling $APP from $SITE, and checking ERPNext is left intact"
		run_bench --site "$SITE" uninstall-app "$APP" --yes --no-backup
		(cd sites && as_owner ../env/bin/python -m "$APP.setup.verify" "$SITE" uninstalled)
		say "Installing $APP afresh"
		run_bench --site "$SITE" install-app "$APP"
	fi
else
	say "Installing $APP on $SITE"
	run_bench --site "$SITE" install-app "$APP"
fi
(cd sites && as_owner ../env/bin/python -m "$APP.setup.verify" "$SITE" installed)
say "Migrating $SITE"
run_bench --site "$SITE" migrate

# --- 5. the integration suite -----------------------------------------------------------------------
say "Integration suite on $SITE"
CI=1 run_bench --site "$SITE" run-tests --app "$APP"
