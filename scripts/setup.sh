#!/usr/bin/env bash
# One command from a fresh Debian 12 / Ubuntu 22.04+ machine to a running demo:
#   OS packages (MariaDB, Redis, Node.js, build tools) -> a bench with Frappe v15 and ERPNext v15 from
#   their official repositories -> this app -> a site with the "S company" demo data -> the server at
#   http://localhost:8000 (user Administrator, password $SR_ADMIN_PASSWORD).
# Running it again is safe and quick: every step checks first and skips what is already done.
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
#   SR_PYTHON             Python 3.10-3.12 for the bench     (default python3; when the bench user
#                         cannot run it: /usr/bin/python3.12, 3.11 or 3.10)
#   SR_SKIP_APT=1         do not install OS packages
#   SR_SKIP_DEMO=1        do not load the demo data
#   SR_NO_START=1         set everything up but do not start the server
# Node.js: a node 18+ with its npm already installed (NodeSource, nvm, …) is used as it is; only when
# there is none are Debian's nodejs (and npm) installed. Redis: when another bench on this machine
# already uses the new bench's Redis ports, the bench gets the next free ones.
# Mirrors and offline installs: point SR_FRAPPE_REPO / SR_ERPNEXT_REPO at a mirror or a local clone;
# pip and npm follow their own mirror settings (PIP_INDEX_URL, npm config registry).
set -euo pipefail

CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/setup_decisions.sh
. "$CHECKOUT/scripts/lib/setup_decisions.sh"

FRAPPE_REPO=${SR_FRAPPE_REPO:-https://github.com/frappe/frappe}
FRAPPE_BRANCH=${SR_FRAPPE_BRANCH:-version-15}
ERPNEXT_REPO=${SR_ERPNEXT_REPO:-https://github.com/frappe/erpnext}
ERPNEXT_BRANCH=${SR_ERPNEXT_BRANCH:-version-15}
APP_REPO=${SR_APP_REPO:-$CHECKOUT}
SITE=${SR_SITE:-sr.localhost}
DB_ROOT_PASSWORD=${SR_DB_ROOT_PASSWORD:-root}
ADMIN_PASSWORD=${SR_ADMIN_PASSWORD:-admin}
PYTHON=${SR_PYTHON:-python3}
PORT=${SR_PORT:-8000}

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
		printf '\nERROR: scripts/setup.sh stopped during "%s" (exit %s). Fix what the output above says and run\nit again: it skips what is already done.\n' "$STEP" "$rc" >&2
	fi
}
trap on_exit EXIT
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

# --- who owns the bench -----------------------------------------------------------------------------
BENCH=${SR_BENCH:-$HOME/frappe-bench}
if [ "$(id -u)" = 0 ]; then
	BENCH_USER=${SR_BENCH_USER:-frappe}
	if ! id "$BENCH_USER" >/dev/null 2>&1; then
		say "Creating the user $BENCH_USER to own the bench (bench refuses to run as root)"
		useradd -m -s /bin/bash "$BENCH_USER"
	fi
	USER_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
	REAL_BENCH=$USER_HOME/$(basename "$BENCH")
	chmod o+rx "$(dirname "$CHECKOUT")" "$CHECKOUT" 2>/dev/null || true
	# root's own tools (pyenv shims, nvm, cargo under /root) are not runnable by the bench user
	USER_PATH="$USER_HOME/.local/bin:$(sr_path_without "$HOME" "$PATH")"
	as_user() { runuser -u "$BENCH_USER" -- env HOME="$USER_HOME" PATH="$USER_PATH" "$@"; }
else
	BENCH_USER=$(id -un)
	USER_HOME=$HOME
	REAL_BENCH=$BENCH
	as_user() { env PATH="$HOME/.local/bin:$PATH" "$@"; }
fi
sr_as_user() { as_user "$@"; }

# --- OS packages ------------------------------------------------------------------------------------
if [ "${SR_SKIP_APT:-0}" != 1 ]; then
	# Node.js only when there is no usable node 18+ with npm: Debian's npm conflicts with NodeSource's
	# nodejs ("nodejs : Conflicts: npm").
	read -r -a node_pkgs <<<"$(sr_node_packages)"
	# shellcheck disable=SC2207 # package names have no spaces
	missing=($(sr_missing_packages git curl cron pkg-config build-essential \
		python3-dev python3-venv python3-pip \
		mariadb-server mariadb-client libmariadb-dev redis-server \
		libffi-dev libssl-dev xvfb libfontconfig1 "${node_pkgs[@]}"))
	if [ "${#missing[@]}" -gt 0 ]; then
		say "Installing OS packages: ${missing[*]}"
		$SUDO apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null ||
			die "apt-get could not install: ${missing[*]}.
Install them yourself (or fix the apt sources), then run scripts/setup.sh again; with SR_SKIP_APT=1 it
does not touch OS packages."
	fi
fi
node_major=$(sr_node_major)
[ "$node_major" -ge 18 ] || die "Frappe v15 needs Node.js 18 or newer; $BENCH_USER runs $(as_user node -v 2>/dev/null || echo 'no node').
Install Node.js 18+ for all users, e.g. NodeSource's nodejs package (https://github.com/nodesource/distributions)
or Debian 12's nodejs and npm packages, then run scripts/setup.sh again."
sr_npm_works || die "Node.js $(as_user node -v) has no npm that $BENCH_USER can run.
Install the npm that goes with it: NodeSource's nodejs package includes npm; with Debian's nodejs, run
apt-get install npm; with nvm, nvm install-latest-npm. Then run scripts/setup.sh again."
if ! as_user yarn --version >/dev/null 2>&1; then
	say "Installing yarn (npm install -g yarn)"
	$SUDO npm install -g yarn >/dev/null || die "npm install -g yarn failed (see above).
Install yarn 1.x for all users (npm install -g yarn, or set npm's registry: npm config set registry <mirror>),
then run scripts/setup.sh again."
fi

# --- MariaDB ----------------------------------------------------------------------------------------
if ! mysqladmin ping >/dev/null 2>&1; then
	say "Starting MariaDB"
	$SUDO service mariadb start >/dev/null 2>&1 || $SUDO service mysql start >/dev/null 2>&1 ||
		die "MariaDB did not start. Install it (apt-get install mariadb-server, or run without SR_SKIP_APT),
see its log (/var/log/mysql/error.log or journalctl -u mariadb), start it, and run scripts/setup.sh again."
fi
if ! mysql -uroot -p"$DB_ROOT_PASSWORD" -h127.0.0.1 -e "select 1" >/dev/null 2>&1; then
	say "Setting MariaDB's root password"
	$SUDO mysql -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password \
		USING PASSWORD('$DB_ROOT_PASSWORD'); FLUSH PRIVILEGES;" ||
		die "MariaDB's root user does not take the password in SR_DB_ROOT_PASSWORD, and this script could not
set it. Set SR_DB_ROOT_PASSWORD to MariaDB's root password and run scripts/setup.sh again."
fi

# --- Python and the bench CLI -------------------------------------------------------------------------
PYTHON_BIN=""
pick_python() {
	[ -n "$PYTHON_BIN" ] && return 0
	PYTHON_BIN=$(sr_pick_python "$PYTHON" "/usr/bin /usr/local/bin" "$BENCH_USER") ||
		die "No usable Python for the bench (see above): set SR_PYTHON and run scripts/setup.sh again."
}
if ! BENCH_CLI=$(sr_find_bench_cli "$USER_HOME"); then
	pick_python
	say "Installing the bench CLI (frappe-bench) for $BENCH_USER with $PYTHON_BIN"
	as_user "$PYTHON_BIN" -m pip install --user --quiet frappe-bench 2>/dev/null ||
		as_user "$PYTHON_BIN" -m pip install --user --quiet --break-system-packages frappe-bench ||
		die "pip could not install frappe-bench for $BENCH_USER with $PYTHON_BIN.
Give that Python a pip (apt-get install python3-pip), or point pip at a mirror (PIP_INDEX_URL), or set
SR_PYTHON to another Python 3.10-3.12; then run scripts/setup.sh again."
	BENCH_CLI=$(sr_find_bench_cli "$USER_HOME") ||
		die "frappe-bench was installed but $BENCH_USER cannot run $USER_HOME/.local/bin/bench; run it to see why."
fi
bench_() { (cd "$REAL_BENCH" && as_user "$BENCH_CLI" "$@"); }

# --- Frappe and ERPNext -------------------------------------------------------------------------------
if [ ! -d "$REAL_BENCH/apps/frappe" ]; then
	[ ! -e "$REAL_BENCH" ] || die "$REAL_BENCH exists but is not a bench with Frappe (an earlier bench init that
stopped, or another directory). Remove it, or set SR_BENCH to another path, then run scripts/setup.sh again."
	pick_python
	say "bench init: Frappe $FRAPPE_BRANCH from $FRAPPE_REPO, Python $PYTHON_BIN"
	(cd "$(dirname "$REAL_BENCH")" && as_user "$BENCH_CLI" init --frappe-path "$FRAPPE_REPO" \
		--frappe-branch "$FRAPPE_BRANCH" --python "$PYTHON_BIN" "$(basename "$REAL_BENCH")")
fi
if [ ! -x "$REAL_BENCH/env/bin/python" ] || [ ! -f "$REAL_BENCH/sites/common_site_config.json" ]; then
	die "$REAL_BENCH is a bench that bench init did not finish (no env/bin/python or
sites/common_site_config.json). Remove it (rm -rf $REAL_BENCH) and run scripts/setup.sh again."
fi
# Frappe v15's Dropbox integration imports pkg_resources, which setuptools 81+ no longer ships.
if ! as_user "$REAL_BENCH/env/bin/python" -c "import pkg_resources" >/dev/null 2>&1; then
	as_user "$REAL_BENCH/env/bin/python" -m pip install --quiet "setuptools<81"
fi
if [ "$REAL_BENCH" != "$BENCH" ] && [ ! -e "$BENCH" ]; then
	ln -s "$REAL_BENCH" "$BENCH"
fi

# --- Redis: this bench's own ports, running -------------------------------------------------------------
# bench init avoids the ports of benches next to the new one; a bench elsewhere (another user's home)
# can still hold the defaults 13000 / 11000.
cache_now=$(sr_config_port "$REAL_BENCH" redis_cache)
queue_now=$(sr_config_port "$REAL_BENCH" redis_queue)
if [ -z "$cache_now" ] || [ -z "$queue_now" ]; then
	die "$REAL_BENCH/sites/common_site_config.json has no redis_cache / redis_queue. Set them
(cd $BENCH && bench set-redis-cache-host 127.0.0.1:13000 && bench set-redis-queue-host 127.0.0.1:11000 &&
bench setup redis) and run scripts/setup.sh again."
fi
cache=$(sr_pick_redis_port "$REAL_BENCH" "$cache_now") || die "No free port for Redis cache near $cache_now."
queue=$(sr_pick_redis_port "$REAL_BENCH" "$queue_now" "$cache") || die "No free port for Redis queue near $queue_now."
if [ "$cache" != "$cache_now" ] || [ "$queue" != "$queue_now" ]; then
	say "Another bench uses Redis port $cache_now/$queue_now: this bench gets $cache (cache) and $queue (queue)"
	bench_ set-redis-cache-host "127.0.0.1:$cache"
	bench_ set-redis-socketio-host "127.0.0.1:$cache"
	bench_ set-redis-queue-host "127.0.0.1:$queue"
	bench_ setup redis
fi
# Installing the app and loading the demo enqueue jobs: the bench's Redis must run. They are left running
# (as scripts/test.sh leaves them); `bench start` below stops them first and runs its own.
command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed. Install it (apt-get install
redis-server, or run without SR_SKIP_APT) and run scripts/setup.sh again."
for conf in redis_cache redis_queue; do
	port=$(awk '/^port /{print $2}' "$REAL_BENCH/config/$conf.conf")
	if sr_port_listening "$port"; then
		sr_port_is_benchs_redis "$port" "$REAL_BENCH" || die "Port $port ($conf) is taken by another program
or bench, not this bench's Redis. Stop it, or give this bench other ports (cd $BENCH &&
bench set-redis-cache-host / set-redis-queue-host 127.0.0.1:<port> && bench setup redis), then run again."
		continue
	fi
	[ "$STEP" = "Starting the bench's Redis" ] || say "Starting the bench's Redis"
	(cd "$REAL_BENCH" && as_user redis-server "config/$conf.conf" --daemonize yes >/dev/null)
	for _ in $(seq 1 30); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
	redis-cli -p "$port" ping >/dev/null 2>&1 || die "Redis ($conf) did not start on port $port.
Run it in the foreground to see why: cd $BENCH && redis-server config/$conf.conf"
done

# --- the apps -------------------------------------------------------------------------------------------
if [ ! -d "$REAL_BENCH/apps/erpnext" ]; then
	say "bench get-app: ERPNext $ERPNEXT_BRANCH from $ERPNEXT_REPO"
	bench_ get-app --branch "$ERPNEXT_BRANCH" "$ERPNEXT_REPO"
fi
if [ ! -e "$REAL_BENCH/apps/sales_reengineering" ]; then
	# a local checkout owned by another user: let git (run as the bench user) clone it
	if [ -d "$APP_REPO" ]; then
		as_user git config --global --add safe.directory "$(cd "$APP_REPO" && pwd)/.git"
		as_user git config --global --add safe.directory "$(cd "$APP_REPO" && pwd)"
	fi
	say "bench get-app: sales_reengineering from $APP_REPO"
	bench_ get-app "$APP_REPO"
fi
# bench init from an offline machine may end without built assets; the portal pages need them.
if [ ! -s "$REAL_BENCH/sites/assets/assets.json" ]; then
	say "Building the bench's assets"
	bench_ build
fi

# --- the demo site ------------------------------------------------------------------------------------
if [ ! -d "$REAL_BENCH/sites/$SITE" ]; then
	say "Creating site $SITE with ERPNext and Sales Reengineering"
	bench_ new-site "$SITE" --db-root-password "$DB_ROOT_PASSWORD" --admin-password "$ADMIN_PASSWORD" \
		--install-app erpnext --no-mariadb-socket
fi
apps=$(bench_ --site "$SITE" list-apps 2>&1) || die "Site $SITE exists but does not work:
$apps
If an earlier run stopped while creating it, drop it and run scripts/setup.sh again:
  cd $BENCH && bench drop-site $SITE --db-root-password <SR_DB_ROOT_PASSWORD> --force"
if ! grep -q "^erpnext\b" <<<"$apps"; then
	say "Installing ERPNext on $SITE"
	bench_ --site "$SITE" install-app erpnext
fi
# The app's install on this site completed (written below): an install that stopped half-way (in its
# after_install, say) is listed by list-apps all the same, and is run again with --force.
INSTALLED_MARK="$REAL_BENCH/sites/$SITE/.sr_setup_installed"
if ! grep -q "^sales_reengineering\b" <<<"$apps"; then
	say "Installing Sales Reengineering on $SITE"
	bench_ --site "$SITE" install-app sales_reengineering
elif [ ! -e "$INSTALLED_MARK" ]; then
	say "Completing the install of Sales Reengineering on $SITE (install-app --force; an earlier one may have stopped)"
	bench_ --site "$SITE" install-app sales_reengineering --force
fi
if [ ! -e "$INSTALLED_MARK" ]; then
	(cd "$REAL_BENCH/sites" && as_user ../env/bin/python -m sales_reengineering.setup.verify "$SITE" installed) ||
		die "Sales Reengineering is not completely installed on $SITE (see above). Reinstall it:
  cd $BENCH && bench --site $SITE uninstall-app sales_reengineering --yes && bench --site $SITE install-app sales_reengineering
then run scripts/setup.sh again."
	as_user touch "$INSTALLED_MARK"
fi
# the default site (bench use): common_site_config.json's default_site in Frappe v15, currentsite.txt before
if ! grep -q "\"default_site\": *\"$SITE\"" "$REAL_BENCH/sites/common_site_config.json" &&
	[ "$(cat "$REAL_BENCH/sites/currentsite.txt" 2>/dev/null)" != "$SITE" ]; then
	bench_ use "$SITE"
fi
# bench init picks the next free port when other benches exist; the README promises this one
if [ "$(sr_config_port_number "$REAL_BENCH" webserver_port)" != "$PORT" ]; then
	bench_ set-config -g webserver_port "$PORT" >/dev/null
fi
grep -q -- "--port $PORT\b" "$REAL_BENCH/Procfile" || as_user sed -i "s/--port [0-9]*/--port $PORT/" "$REAL_BENCH/Procfile"
if [ "${SR_SKIP_DEMO:-0}" != 1 ]; then
	say "Loading the S company demo data (a second run adds nothing)"
	bench_ --site "$SITE" sr-load-demo
fi

if [ "${SR_NO_START:-0}" = 1 ]; then
	say "Done. Start the server with: cd $BENCH && bench start"
	exit 0
fi
# bench start runs the bench's Redis servers itself (Procfile); ones already running would make it stop.
for conf in redis_cache redis_queue; do
	port=$(awk '/^port /{print $2}' "$REAL_BENCH/config/$conf.conf")
	if sr_port_is_benchs_redis "$port" "$REAL_BENCH"; then redis-cli -p "$port" shutdown >/dev/null 2>&1 || true; fi
done
say "Starting the server: http://localhost:$PORT  (Administrator / $ADMIN_PASSWORD). Ctrl-C stops it."
trap - EXIT
cd "$REAL_BENCH"
as_user "$BENCH_CLI" start
