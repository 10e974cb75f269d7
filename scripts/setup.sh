#!/usr/bin/env bash
# One command from a fresh Debian 12 / Ubuntu 22.04+ machine to a running demo:
#   OS packages (MariaDB, Redis, Node.js, build tools) -> a bench with Frappe v15 and ERPNext v15 from
#   their official repositories -> this app -> a site with the "S company" demo data -> the server at
#   http://localhost:8000 (user Administrator, password $SR_ADMIN_PASSWORD).
#
# Environment (all optional):
#   SR_BENCH              where the bench goes              (default ~/frappe-bench)
#   SR_FRAPPE_REPO        Frappe git URL or local path       (default https://github.com/frappe/frappe)
#   SR_FRAPPE_BRANCH      Frappe branch                      (default version-15)
#   SR_ERPNEXT_REPO       ERPNext git URL or local path      (default https://github.com/frappe/erpnext)
#   SR_ERPNEXT_BRANCH     ERPNext branch                     (default version-15)
#   SR_APP_REPO           this app's git URL or local path   (default: this checkout)
#   SR_SITE               demo site name                     (default sr.localhost)
#   SR_DB_ROOT_PASSWORD   MariaDB root password to set/use   (default root)
#   SR_ADMIN_PASSWORD     the site's Administrator password  (default admin)
#   SR_BENCH_USER         the user that owns the bench when this runs as root (default frappe);
#                         bench refuses to run as root
#   SR_PORT               the web server's port              (default 8000)
#   SR_PYTHON             Python 3.10-3.12 for the bench     (default python3)
#   SR_SKIP_APT=1         do not install OS packages
#   SR_SKIP_DEMO=1        do not load the demo data
#   SR_NO_START=1         set everything up but do not start the server
# Mirrors and offline installs: point SR_FRAPPE_REPO / SR_ERPNEXT_REPO at a mirror or a local clone;
# pip and npm follow their own mirror settings (PIP_INDEX_URL, npm config registry).
set -euo pipefail

CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FRAPPE_REPO=${SR_FRAPPE_REPO:-https://github.com/frappe/frappe}
FRAPPE_BRANCH=${SR_FRAPPE_BRANCH:-version-15}
ERPNEXT_REPO=${SR_ERPNEXT_REPO:-https://github.com/frappe/erpnext}
ERPNEXT_BRANCH=${SR_ERPNEXT_BRANCH:-version-15}
APP_REPO=${SR_APP_REPO:-$CHECKOUT}
SITE=${SR_SITE:-sr.localhost}
DB_ROOT_PASSWORD=${SR_DB_ROOT_PASSWORD:-root}
ADMIN_PASSWORD=${SR_ADMIN_PASSWORD:-admin}
PYTHON=${SR_PYTHON:-python3}

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

# --- OS packages ------------------------------------------------------------------------------------
if [ "${SR_SKIP_APT:-0}" != 1 ]; then
	say "Installing OS packages (MariaDB, Redis, Node.js, build tools)"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		git curl cron pkg-config build-essential \
		python3-dev python3-venv python3-pip \
		mariadb-server mariadb-client libmariadb-dev \
		redis-server nodejs npm \
		libffi-dev libssl-dev xvfb libfontconfig1 >/dev/null
	command -v yarn >/dev/null || $SUDO npm install -g yarn >/dev/null
fi
node_major=$(node -v 2>/dev/null | sed 's/^v\([0-9]*\).*/\1/')
[ "${node_major:-0}" -ge 18 ] || die "Frappe v15 needs Node.js 18 or newer (found $(node -v 2>/dev/null || echo none))."

# --- MariaDB ----------------------------------------------------------------------------------------
say "Starting MariaDB and setting its root password"
if ! mysqladmin ping >/dev/null 2>&1; then
	$SUDO service mariadb start >/dev/null 2>&1 || $SUDO service mysql start
fi
if ! mysql -uroot -p"$DB_ROOT_PASSWORD" -h127.0.0.1 -e "select 1" >/dev/null 2>&1; then
	$SUDO mysql -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password \
		USING PASSWORD('$DB_ROOT_PASSWORD'); FLUSH PRIVILEGES;"
fi

# --- who owns the bench -----------------------------------------------------------------------------
BENCH=${SR_BENCH:-$HOME/frappe-bench}
if [ "$(id -u)" = 0 ]; then
	BENCH_USER=${SR_BENCH_USER:-frappe}
	id "$BENCH_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$BENCH_USER"
	USER_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
	REAL_BENCH=$USER_HOME/$(basename "$BENCH")
	chmod o+rx "$(dirname "$CHECKOUT")" "$CHECKOUT" 2>/dev/null || true
	as_user() { runuser -u "$BENCH_USER" -- env HOME="$USER_HOME" PATH="$USER_HOME/.local/bin:$PATH" "$@"; }
else
	BENCH_USER=$(id -un)
	REAL_BENCH=$BENCH
	as_user() { env PATH="$HOME/.local/bin:$PATH" "$@"; }
fi

# --- the bench CLI ------------------------------------------------------------------------------------
if ! as_user bash -c "command -v bench" >/dev/null 2>&1; then
	say "Installing the bench CLI (frappe-bench) for $BENCH_USER"
	as_user "$PYTHON" -m pip install --user --quiet frappe-bench 2>/dev/null ||
		as_user "$PYTHON" -m pip install --user --quiet --break-system-packages frappe-bench
fi
bench_() { (cd "$REAL_BENCH" && as_user bench "$@"); }

# --- Frappe and ERPNext -------------------------------------------------------------------------------
if [ ! -d "$REAL_BENCH/apps/frappe" ]; then
	say "bench init: Frappe $FRAPPE_BRANCH from $FRAPPE_REPO"
	(cd "$(dirname "$REAL_BENCH")" && as_user bench init --frappe-path "$FRAPPE_REPO" \
		--frappe-branch "$FRAPPE_BRANCH" --python "$(command -v "$PYTHON")" "$(basename "$REAL_BENCH")")
	# Frappe v15's Dropbox integration imports pkg_resources, which setuptools 81+ no longer ships.
	as_user "$REAL_BENCH/env/bin/python" -m pip install --quiet "setuptools<81"
fi
if [ "$REAL_BENCH" != "$BENCH" ] && [ ! -e "$BENCH" ]; then
	ln -s "$REAL_BENCH" "$BENCH"
fi
if [ ! -d "$REAL_BENCH/apps/erpnext" ]; then
	say "bench get-app: ERPNext $ERPNEXT_BRANCH from $ERPNEXT_REPO"
	bench_ get-app --branch "$ERPNEXT_BRANCH" "$ERPNEXT_REPO"
fi
if [ ! -d "$REAL_BENCH/apps/sales_reengineering" ]; then
	# a local checkout owned by another user: let git (run as the bench user) clone it
	[ -d "$APP_REPO" ] && as_user git config --global --add safe.directory "$(cd "$APP_REPO" && pwd)/.git"
	[ -d "$APP_REPO" ] && as_user git config --global --add safe.directory "$(cd "$APP_REPO" && pwd)"
	say "bench get-app: sales_reengineering from $APP_REPO"
	bench_ get-app "$APP_REPO"
fi

# --- the demo site ------------------------------------------------------------------------------------
if [ ! -d "$REAL_BENCH/sites/$SITE" ]; then
	say "Creating site $SITE with ERPNext and Sales Reengineering"
	bench_ new-site "$SITE" --db-root-password "$DB_ROOT_PASSWORD" --admin-password "$ADMIN_PASSWORD" \
		--install-app erpnext --no-mariadb-socket
fi
bench_ --site "$SITE" list-apps | grep -q "^sales_reengineering" || bench_ --site "$SITE" install-app sales_reengineering
bench_ use "$SITE"
# bench init picks the next free port when other benches exist; the README promises this one
PORT=${SR_PORT:-8000}
bench_ set-config -g webserver_port "$PORT" >/dev/null
as_user sed -i "s/--port [0-9]*/--port $PORT/" "$REAL_BENCH/Procfile"
if [ "${SR_SKIP_DEMO:-0}" != 1 ]; then
	say "Loading the S company demo data"
	bench_ --site "$SITE" sr-load-demo
fi

if [ "${SR_NO_START:-0}" = 1 ]; then
	say "Done. Start the server with: cd $BENCH && bench start"
	exit 0
fi
say "Starting the server: http://localhost:$PORT  (Administrator / $ADMIN_PASSWORD). Ctrl-C stops it."
cd "$REAL_BENCH"
as_user bench start
