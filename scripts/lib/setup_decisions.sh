# shellcheck shell=bash
# The decisions scripts/setup.sh and scripts/test.sh make about the machine they run on, as small
# functions that only look and print: they install, start and change nothing. Sourced by both scripts;
# tests/test_setup_decisions.py runs them with stub executables (node, npm, python3.x, ss, redis-cli, …)
# on a fake PATH, without a network.
#
# A caller that runs as root for another user defines sr_as_user (run a command as the bench's user)
# after sourcing this file; by default commands run as the current user.
#
# Variables read (tests set them; setup.sh and test.sh use the defaults):
#   SR_BENCH_SEARCH  globs of directories that may be other benches, whose Redis ports a new bench must
#                    not take (default: the bench's siblings, /home/*/*, /root/*)

sr_as_user() { "$@"; }

# --- Node.js -------------------------------------------------------------------------------------------

# The major version of the `node` the bench user runs, or 0 when there is none.
sr_node_major() {
	local v
	v=$(sr_as_user node -v 2>/dev/null) || v=""
	v=${v#v}
	v=${v%%.*}
	case $v in
	'' | *[!0-9]*) echo 0 ;;
	*) echo "$v" ;;
	esac
}

# Whether `npm` runs for the bench user.
sr_npm_works() { sr_as_user npm -v >/dev/null 2>&1; }

# The version of the OS package nodejs (dpkg), empty when it is not installed.
sr_dpkg_nodejs_version() {
	local status version
	status=$(dpkg-query -W -f='${db:Status-Status} ${Version}' nodejs 2>/dev/null) || return 0
	version=${status#installed }
	[ "$version" != "$status" ] && echo "$version"
	return 0
}

# The OS packages to install for Node.js: "", "npm", "nodejs" or "nodejs npm".
#   - A usable node (18+) and npm: nothing (whatever installed them: NodeSource, nvm, a tarball).
#   - Debian's npm only goes with Debian's nodejs: NodeSource's nodejs bundles npm and conflicts with
#     Debian's ("nodejs : Conflicts: npm"), and a node from nvm or a tarball would get a second node.
sr_node_packages() {
	local major pkg_version pkgs=""
	major=$(sr_node_major)
	pkg_version=$(sr_dpkg_nodejs_version)
	if [ "$major" -lt 18 ]; then
		pkgs="nodejs"
		if ! sr_npm_works; then
			case $pkg_version in
			*nodesource*) ;; # NodeSource's nodejs brings its own npm
			*) pkgs="nodejs npm" ;;
			esac
		fi
	elif ! sr_npm_works; then
		case $pkg_version in
		'' | *nodesource*) ;; # not Debian's node: Debian's npm would conflict or bring a second node
		*) pkgs="npm" ;;
		esac
	fi
	echo "$pkgs"
}

# --- Python ------------------------------------------------------------------------------------------

# "<major.minor> <executable>" of a Python the bench user can run, or nothing (exit 1) with the reason on
# stderr. The executable is the interpreter's own path (a pyenv shim resolves to its real python).
sr_python_info() {
	local py=$1 out version exe
	if ! out=$(sr_as_user "$py" -c 'import sys; print("%d.%d %s" % (sys.version_info[0], sys.version_info[1], sys.executable))' 2>&1); then
		echo "$py does not run for this user: $(printf '%s\n' "$out" | tail -n 1)" >&2
		return 1
	fi
	out=$(printf '%s\n' "$out" | tail -n 1)
	version=${out%% *}
	exe=${out#"$version"}
	exe=${exe# }
	case $version in
	3.10 | 3.11 | 3.12) ;;
	*)
		echo "$py is Python $version; Frappe v15 needs 3.10, 3.11 or 3.12" >&2
		return 1
		;;
	esac
	echo "$version ${exe:-$py}"
}

# The Python for the bench: the requested one ($1: SR_PYTHON, or python3) when the bench user can run
# it and it is 3.10-3.12, otherwise the system's python3.12, python3.11 or python3.10 (in $2, default
# "/usr/bin /usr/local/bin"). Prints its absolute path; notes on stderr; exit 1 with a message saying
# what to set when none fits.
sr_pick_python() {
	local requested=${1:-python3} dirs=${2:-/usr/bin /usr/local/bin} user=${3:-$(id -un)}
	local cand path info tried="" d v first=1
	local -a cands=("$requested")
	for d in $dirs; do
		for v in 3.12 3.11 3.10; do cands+=("$d/python$v"); done
	done
	for cand in "${cands[@]}"; do
		if [ "${cand#*/}" = "$cand" ]; then
			path=$(command -v "$cand" 2>/dev/null) || path=""
		else
			path=$cand
		fi
		if [ -z "$path" ] || [ ! -e "$path" ]; then
			[ "$first" = 1 ] && tried="$tried
  $cand: not found"
			first=0
			continue
		fi
		if info=$(sr_python_info "$path" 2>&1); then
			if [ "$first" = 0 ]; then
				echo "Note: $requested is not usable by $user; using ${info#* } (Python ${info%% *}).$tried" >&2
			fi
			echo "${info#* }"
			return 0
		fi
		tried="$tried
  $info"
		first=0
	done
	cat >&2 <<EOF
No Python 3.10-3.12 that user $user can run was found. Tried:$tried
Install one for all users (Debian/Ubuntu: apt-get install python3 python3-venv python3-pip, or
python3.11 python3.11-venv) and set SR_PYTHON to its path, e.g.
  SR_PYTHON=/usr/bin/python3.11 scripts/setup.sh
A python inside another user's home (pyenv, asdf) cannot be run by $user.
EOF
	return 1
}

# --- PATH for the bench user ---------------------------------------------------------------------------

# $2 (a PATH) without the entries inside directory $1 (root's home, whose pyenv shims, cargo or nvm
# the bench user cannot run).
sr_path_without() {
	local dir=${1%/} entry out="" IFS=:
	for entry in $2; do
		case $entry in
		"$dir" | "$dir"/*) ;;
		*) out=${out:+$out:}$entry ;;
		esac
	done
	echo "$out"
}

# --- the bench's owner ----------------------------------------------------------------------------------

# sr_use_bench_owner BENCH: sets OWNER and OWNER_HOME (BENCH's owner and their home) and defines
# as_owner (and sr_as_user), which runs a command as that owner. bench refuses to run as root, so as root
# for another owner it is runuser with the owner's ~/.local/bin (where `pip install --user frappe-bench`
# puts the bench CLI) and without root's own tools (pyenv shims under /root), which the owner cannot run.
# shellcheck disable=SC2317 # as_owner and sr_as_user are called by the scripts that source this file
sr_use_bench_owner() {
	OWNER=$(stat -c %U "$1")
	if [ "$OWNER" = "$(id -un)" ]; then
		OWNER_HOME=$HOME
	else
		OWNER_HOME=$(getent passwd "$OWNER" | cut -d: -f6)
	fi
	if [ "$(id -u)" = 0 ] && [ "$OWNER" != root ]; then
		OWNER_PATH="$OWNER_HOME/.local/bin:$(sr_path_without "$HOME" "$PATH")"
		as_owner() { runuser -u "$OWNER" -- env HOME="$OWNER_HOME" PATH="$OWNER_PATH" "$@"; }
	else
		as_owner() { env PATH="$HOME/.local/bin:$PATH" "$@"; }
	fi
	sr_as_user() { as_owner "$@"; }
}

# --- the bench CLI -----------------------------------------------------------------------------------

# The bench CLI the bench's owner runs: $1 is the owner's home. Looks at the owner's
# ~/.local/bin/bench (where `pip install --user frappe-bench` puts it), then `bench` on PATH, then
# pyenv's. Prints its path, or exits 1 when the owner can run none.
sr_find_bench_cli() {
	local home=$1 cand
	local -a cands=("$home/.local/bin/bench")
	cand=$(command -v bench 2>/dev/null) && cands+=("$cand")
	if command -v pyenv >/dev/null 2>&1; then
		cand=$(pyenv which bench 2>/dev/null) && cands+=("$cand")
	fi
	for cand in "${cands[@]}"; do
		[ -x "$cand" ] || continue
		if sr_as_user "$cand" --version >/dev/null 2>&1; then
			echo "$cand"
			return 0
		fi
	done
	return 1
}

# --- OS packages -------------------------------------------------------------------------------------

# Those of the packages $1… that dpkg does not have installed, one a line.
sr_missing_packages() {
	local pkg
	for pkg in "$@"; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] || echo "$pkg"
	done
}

# --- Redis ports -------------------------------------------------------------------------------------

# The port of key $2 (redis_cache, redis_queue, redis_socketio) in bench $1's common_site_config.json.
sr_config_port() {
	sed -n "s/.*\"$2\": *\"[^\"]*:\([0-9][0-9]*\).*/\1/p" "$1/sites/common_site_config.json" 2>/dev/null |
		head -n 1
}

# The number value of key $2 (webserver_port, …) in bench $1's common_site_config.json.
sr_config_port_number() {
	sed -n "s/.*\"$2\": *\([0-9][0-9]*\).*/\1/p" "$1/sites/common_site_config.json" 2>/dev/null | head -n 1
}

# The other benches on this machine: directories matching SR_BENCH_SEARCH that have a
# sites/common_site_config.json, except bench $1 itself (also when reached through a symlink).
sr_other_benches() {
	local self d real
	self=$(cd "$1" 2>/dev/null && pwd -P) || self=$1
	local search=${SR_BENCH_SEARCH:-"$(dirname "$self")/* /home/*/* /root/*"}
	# shellcheck disable=SC2086 # the globs are meant to expand
	for d in $search; do
		[ -f "$d/sites/common_site_config.json" ] || continue
		real=$(cd "$d" 2>/dev/null && pwd -P) || continue
		[ "$real" = "$self" ] || echo "$real"
	done | sort -u
}

# Every Redis port other benches are configured to use, one a line.
sr_claimed_ports() {
	local b key
	sr_other_benches "$1" | while read -r b; do
		for key in redis_cache redis_queue redis_socketio; do sr_config_port "$b" "$key"; done
	done | sort -un
}

# Whether something listens on TCP port $1 on this machine.
sr_port_listening() {
	if command -v ss >/dev/null 2>&1; then
		ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

# Whether the Redis on port $1 is bench $2's own (started from that bench's config directory).
sr_port_is_benchs_redis() {
	local file self
	file=$(redis-cli -p "$1" INFO server 2>/dev/null | tr -d '\r' | sed -n 's/^config_file://p')
	[ -n "$file" ] || return 1
	self=$(cd "$2" 2>/dev/null && pwd -P) || self=$2
	case $file in
	"$self"/config/* | "$2"/config/*) return 0 ;;
	*) return 1 ;;
	esac
}

# The Redis port bench $1 should use for a setting now on port $2 (from bench init): $2 itself when it
# is free or already served by this bench's own Redis; otherwise the next port up that no process
# listens on, no other bench is configured to use, and is not among $3… (ports already chosen).
sr_pick_redis_port() {
	local bench=$1 port=$2 claimed i
	shift 2
	if sr_port_listening "$port" && sr_port_is_benchs_redis "$port" "$bench"; then
		echo "$port"
		return 0
	fi
	claimed=" $(sr_claimed_ports "$bench" | tr '\n' ' ') $* "
	for ((i = 0; i < 200; i++)); do
		case $claimed in
		*" $port "*) ;;
		*) if ! sr_port_listening "$port"; then
			echo "$port"
			return 0
		fi ;;
		esac
		port=$((port + 1))
	done
	echo "No free Redis port found after $port." >&2
	return 1
}
