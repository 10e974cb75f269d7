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
#   5. runs `CI=1 bench --site <test site> run-tests --app sales_reengineering`,
#   6. runs the compatibility suite (scripts/compat.sh: ERPNext's own tests on a site of their own,
#      SR_COMPAT_SITE, with this app), unless SR_SKIP_COMPAT=1, and says when it is skipped,
#   7. runs the browser tests (e2e/, node --test) when Chromium, node and npm are present, else says
#      "Browser tests skipped: <reason>".
# Any failure exits non-zero.
#
# Environment:
#   SR_BENCH             bench directory            (default ~/frappe-bench)
#   SR_TEST_SITE         test site name             (default test_site)
#   SR_DB_ROOT_PASSWORD  MariaDB root password      (default root)
#   SR_SKIP_PURE=1 / SR_SKIP_INTEGRATION=1          run only one of the two suites
#   SR_SKIP_REINSTALL=1  keep the installed app and only migrate (faster local runs)
#   SR_SKIP_BROWSER=1    skip the browser tests
#   SR_SKIP_COMPAT=1     skip the compatibility suite (SR_COMPAT_SITE: its site, default compat_site)
set -euo pipefail

APP=sales_reengineering
CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/setup_decisions.sh
. "$CHECKOUT/scripts/lib/setup_decisions.sh"
BENCH=${SR_BENCH:-$HOME/frappe-bench}
SITE=${SR_TEST_SITE:-test_site}
DB_ROOT_PASSWORD=${SR_DB_ROOT_PASSWORD:-root}

STEP="the start"
say() {
	STEP=$*
	printf '\n==> %s\n' "$*"
}
DIED=0
die() {
	DIED=1
	printf '\nERROR: %s\n' "$*" >&2
	exit 1
}
on_exit() {
	local rc=$?
	if [ "$rc" != 0 ] && [ "$DIED" = 0 ]; then
		printf '\nFAILED: scripts/test.sh stopped during "%s" (exit %s); the output above says why.\n' "$STEP" "$rc" >&2
	fi
}
trap on_exit EXIT

# --- 1. the pure suite ------------------------------------------------------------------------------
if [ "${SR_SKIP_PURE:-0}" != 1 ]; then
	say "Pure domain-core suite (pytest, no bench)"
	PY=${PYTHON:-python3}
	if ! "$PY" -c "import pytest, hypothesis" 2>/dev/null; then
		"$PY" -m pip install --quiet pytest hypothesis ||
			die "$PY has no pytest and hypothesis, and pip could not install them.
Install them ($PY -m pip install pytest hypothesis, or apt-get install python3-pytest python3-hypothesis),
or set PYTHON to a Python that has them; then run scripts/test.sh again."
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
sr_use_bench_owner "$BENCH" # OWNER, OWNER_HOME, as_owner: bench refuses to run as root
as_owner_hint=""
[ "$OWNER" = "$(id -un)" ] || as_owner_hint="runuser -u $OWNER -- "
BENCH_CLI=$(sr_find_bench_cli "$OWNER_HOME") || die "No bench CLI that $OWNER (the owner of $BENCH) can run:
looked for $OWNER_HOME/.local/bin/bench, bench on PATH and pyenv's bench.
Install it for $OWNER:   ${as_owner_hint}python3 -m pip install --user frappe-bench
(scripts/setup.sh does this), or put a bench that $OWNER can run on PATH; then run scripts/test.sh again."
run_bench() { as_owner "$BENCH_CLI" "$@"; }

say "Starting MariaDB and Redis"
if ! mysqladmin ping --silent >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		service mariadb start >/dev/null 2>&1 || service mysql start >/dev/null 2>&1 ||
			(mysqld_safe >/dev/null 2>&1 &)
	else
		sudo service mariadb start || sudo service mysql start || true
	fi
	for _ in $(seq 1 60); do mysqladmin ping --silent >/dev/null 2>&1 && break; sleep 1; done
	mysqladmin ping --silent >/dev/null 2>&1 || die "MariaDB did not start. See its log (/var/log/mysql/error.log
or journalctl -u mariadb), start it (service mariadb start), and run scripts/test.sh again."
fi
for conf in redis_cache redis_queue; do
	port=$(awk '/^port /{print $2}' "config/$conf.conf")
	[ -n "$port" ] || die "$BENCH/config/$conf.conf has no port. Regenerate it (cd $BENCH && bench setup redis)
and run scripts/test.sh again."
	if redis-cli -p "$port" ping >/dev/null 2>&1; then
		if ! sr_port_is_benchs_redis "$port" "$BENCH"; then
			echo "Warning: the Redis on port $port ($conf) was not started from $BENCH/config: another bench may
share it. To give this bench its own ports, run scripts/setup.sh with SR_SKIP_APT=1 SR_SKIP_DEMO=1 SR_NO_START=1." >&2
		fi
	else
		as_owner redis-server "config/$conf.conf" --daemonize yes >/dev/null
		for _ in $(seq 1 30); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
		redis-cli -p "$port" ping >/dev/null 2>&1 || die "Redis ($conf, port $port) did not start. Run it in the
foreground to see why: cd $BENCH && redis-server config/$conf.conf
(a port taken by another bench: re-run scripts/setup.sh with SR_SKIP_APT=1 SR_SKIP_DEMO=1 SR_NO_START=1,
which gives this bench free Redis ports)."
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
if ! grep -qx "$APP" sites/apps.txt; then
	[ -z "$(tail -c 1 sites/apps.txt)" ] || echo >>sites/apps.txt # end the last line first
	echo "$APP" >>sites/apps.txt
fi

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

# --- 6. the compatibility suite: ERPNext's own tests with the app ------------------------------------
if [ "${SR_SKIP_COMPAT:-0}" = 1 ]; then
	say "Compatibility suite skipped: SR_SKIP_COMPAT=1"
else
	say "Compatibility suite: ERPNext's own tests with $APP (scripts/compat.sh)"
	SR_BENCH="$BENCH" SR_TEST_SITE="$SITE" SR_DB_ROOT_PASSWORD="$DB_ROOT_PASSWORD" bash "$CHECKOUT/scripts/compat.sh"
fi

# --- 7. the browser tests ---------------------------------------------------------------------------
# e2e/: playwright-core drives the system's Chromium (never a downloaded browser) through each role's
# pages on the test site, with fixtures made through the app and a web server the tests start and stop.
CHROMIUM_BIN=""
for candidate in /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"; do
	if [ -n "$candidate" ] && [ -x "$candidate" ]; then
		CHROMIUM_BIN=$candidate
		break
	fi
done
skip_reason=""
if [ "${SR_SKIP_BROWSER:-0}" = 1 ]; then
	skip_reason="SR_SKIP_BROWSER=1"
elif [ -z "$CHROMIUM_BIN" ]; then
	skip_reason="no Chromium (/usr/bin/chromium or chromium on PATH); apt-get install chromium to run them"
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	skip_reason="no node and npm on PATH"
fi
if [ -n "$skip_reason" ]; then
	say "Browser tests skipped: $skip_reason"
else
	say "Browser tests (e2e/, $CHROMIUM_BIN) on $SITE"
	(cd "$CHECKOUT/e2e" && npm ci --no-audit --no-fund --loglevel=error)
	(cd "$CHECKOUT/e2e" && SR_BENCH="$BENCH" SR_TEST_SITE="$SITE" SR_CHROMIUM="$CHROMIUM_BIN" \
		node --test --test-concurrency=1 --test-reporter=tap tests/)
fi

# --- the upgrade test ---------------------------------------------------------------------------------
# The previous release tag, with its demo and an administrator's edits, upgraded to this checkout on a
# site of its own (scripts/upgrade_test.sh; README, "Releases and upgrades"). SR_SKIP_UPGRADE=1 skips it;
# without git metadata or a release tag it says that it is skipped and why.
say "Upgrade test: the previous release upgraded to this checkout (scripts/upgrade_test.sh)"
SR_BENCH="$BENCH" SR_DB_ROOT_PASSWORD="$DB_ROOT_PASSWORD" bash "$CHECKOUT/scripts/upgrade_test.sh"
