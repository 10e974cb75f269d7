"""The decisions scripts/setup.sh and scripts/test.sh make about a machine (scripts/lib/setup_decisions.sh):
which Python, whether to install Node.js and npm from the OS, which Redis ports, which bench CLI.

Each test runs bash on a fake PATH: stub `node`, `npm`, `python3.x`, `dpkg-query`, `ss`, `redis-cli`,
`bench` … in a temporary directory, plus the few real tools the functions need. No network, no root,
nothing outside the temporary directory is changed.
"""

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "scripts" / "lib" / "setup_decisions.sh"
TEST_SH = ROOT / "scripts" / "test.sh"
BASH = shutil.which("bash") or "/bin/bash"
# real tools the functions use; everything they decide on is a stub
TOOLS = (
	"awk cat cut dirname env getent grep head id ls mkdir readlink rm sed seq sort stat tail tar touch tr"
).split()

pytestmark = pytest.mark.skipif(not Path(BASH).exists() or not Path("/bin/sh").exists(), reason="needs bash")


class Machine:
	"""A temporary directory standing in for the machine: stub executables, benches, homes."""

	def __init__(self, root: Path):
		self.root = root
		self.stubs = root / "stubs"
		self.tools = root / "tools"
		self.home = root / "home" / "frappe"
		for d in (self.stubs, self.tools, self.home):
			d.mkdir(parents=True)
		for tool in TOOLS:
			real = shutil.which(tool)
			if real:
				(self.tools / tool).symlink_to(real)
		self.env = {
			"PATH": f"{self.stubs}:{self.tools}",
			"HOME": str(self.home),
			"LC_ALL": "C",
			"SR_BENCH_SEARCH": f"{root}/benches/* {root}/home/*/*",
		}

	def stub(self, name: str, body: str, directory: Path | None = None, mode: int = 0o755) -> Path:
		path = (directory or self.stubs) / name
		path.parent.mkdir(parents=True, exist_ok=True)
		path.write_text("#!/bin/sh\n" + body + "\n")
		path.chmod(mode)
		return path

	def python(self, path: Path, version: str, executable: str | None = None) -> Path:
		"""A stub interpreter that answers setup's probe like a real one of `version`."""
		return self.stub(path.name, f'echo "{version} {executable or path}"', path.parent)

	def bench(self, path: Path, redis_cache: int = 13000, redis_queue: int = 11000) -> Path:
		(path / "sites").mkdir(parents=True, exist_ok=True)
		(path / "config").mkdir(exist_ok=True)
		(path / "sites" / "common_site_config.json").write_text(
			"{\n"
			' "background_workers": 1,\n'
			f' "redis_cache": "redis://127.0.0.1:{redis_cache}",\n'
			f' "redis_queue": "redis://127.0.0.1:{redis_queue}",\n'
			f' "redis_socketio": "redis://127.0.0.1:{redis_cache}",\n'
			' "webserver_port": 8000\n'
			"}\n"
		)
		return path

	def listening(self, ports: dict[int, str | None]):
		"""Fake `ss` and `redis-cli`: the given ports listen; a value is the config file of the Redis
		serving it (None: something that is not Redis)."""
		self.stub(
			"ss",
			'port=$(echo "$*" | sed -n "s/.*sport = :\\([0-9]*\\).*/\\1/p")\n'
			f'case " {" ".join(map(str, ports))} " in *" $port "*) '
			'echo "LISTEN 0 511 127.0.0.1:$port 0.0.0.0:*";; esac',
		)
		cases = "".join(f'{p}) echo "config_file:{f}\r";;\n' for p, f in ports.items() if f)
		self.stub("redis-cli", f'case "$2" in\n{cases}*) exit 1;;\nesac')

	def run(self, snippet: str, **env) -> subprocess.CompletedProcess:
		return subprocess.run(
			[BASH, "-c", f'. "{LIB}"\n{snippet}'],
			env={**self.env, **{k: str(v) for k, v in env.items()}},
			capture_output=True,
			text=True,
			timeout=60,
		)

	def out(self, snippet: str, **env) -> str:
		result = self.run(snippet, **env)
		assert result.returncode == 0, result.stderr
		return result.stdout.strip()


@pytest.fixture
def machine(tmp_path):
	return Machine(tmp_path)


def dpkg(machine: Machine, nodejs_version: str | None, installed: str = ""):
	"""Fake dpkg-query: `nodejs` at the given version (None: not installed), and `installed` packages."""
	nodejs = f'echo "installed {nodejs_version}"; exit 0' if nodejs_version else "exit 1"
	machine.stub(
		"dpkg-query",
		'pkg=$(for a; do last=$a; done; echo "$last")\n'
		'case "$*" in *Version*) '
		f'[ "$pkg" = nodejs ] && {{ {nodejs}; }} || exit 1;; esac\n'
		f'case " {installed} " in *" $pkg "*) printf installed;; *) exit 1;; esac',
	)


# --- Node.js: which OS packages --------------------------------------------------------------------------


def test_nodesource_node_with_its_npm_installs_nothing(machine):
	# the machine: NodeSource's nodejs 20 (npm bundled); Debian's npm would conflict with it
	machine.stub("node", "echo v20.20.2")
	machine.stub("npm", "echo 10.8.2")
	dpkg(machine, "20.20.2-1nodesource1+repack1")
	assert machine.out("sr_node_packages") == ""


def test_node_from_nvm_with_npm_installs_nothing(machine):
	machine.stub("node", "echo v22.3.0")
	machine.stub("npm", "echo 10.8.1")
	dpkg(machine, None)
	assert machine.out("sr_node_packages") == ""


def test_debian_node_without_npm_gets_debians_npm(machine):
	machine.stub("node", "echo v18.20.4")
	dpkg(machine, "18.20.4+dfsg-1~deb12u2")
	assert machine.out("sr_node_packages") == "npm"


def test_nodesource_node_without_npm_never_gets_debians_npm(machine):
	machine.stub("node", "echo v20.20.2")
	machine.stub("npm", "exit 1")  # broken
	dpkg(machine, "20.20.2-1nodesource1")
	assert machine.out("sr_node_packages") == ""


def test_node_from_a_tarball_without_npm_gets_no_second_node(machine):
	machine.stub("node", "echo v20.1.0")
	dpkg(machine, None)
	assert machine.out("sr_node_packages") == ""


def test_no_node_at_all_installs_nodejs_and_npm(machine):
	dpkg(machine, None)
	assert machine.out("sr_node_packages") == "nodejs npm"
	assert machine.out("sr_node_major") == "0"


def test_node_too_old_gets_nodejs_and_keeps_a_working_npm(machine):
	machine.stub("node", "echo v16.20.0")
	machine.stub("npm", "echo 8.19.4")
	dpkg(machine, "16.20.0-deb-1nodesource1")
	assert machine.out("sr_node_major") == "16"
	assert machine.out("sr_node_packages") == "nodejs"


def test_old_nodesource_node_without_npm_gets_no_debian_npm(machine):
	machine.stub("node", "echo v16.20.0")
	dpkg(machine, "16.20.0-deb-1nodesource1")
	assert machine.out("sr_node_packages") == "nodejs"


def test_node_major_of_odd_output_is_zero(machine):
	machine.stub("node", "echo something else")
	assert machine.out("sr_node_major") == "0"


def test_node_is_looked_up_as_the_bench_user(machine):
	# root's node (under /root, e.g. nvm) does not count when the bench user cannot run it
	machine.stub("node", "echo v20.0.0")
	machine.stub("npm", "echo 10.0.0")
	dpkg(machine, None)
	as_other_user = 'sr_as_user() { echo "runuser: failed to execute $1: Permission denied" >&2; return 126; }\n'
	assert machine.out(as_other_user + "sr_node_packages") == "nodejs npm"


def test_missing_packages(machine):
	dpkg(machine, None, installed="git curl redis-server")
	assert machine.out("sr_missing_packages git mariadb-server redis-server npm").split() == [
		"mariadb-server",
		"npm",
	]


# --- Python ------------------------------------------------------------------------------------------


def test_the_requested_python_when_the_bench_user_can_run_it(machine):
	py = machine.python(machine.stubs / "python3", "3.11", "/opt/py/bin/python3.11")
	sysdir = machine.root / "usr-bin"
	machine.python(sysdir / "python3.12", "3.12")
	result = machine.run(f'sr_pick_python python3 "{sysdir}" frappe')
	assert result.returncode == 0, result.stderr
	# the interpreter's own path (a pyenv shim resolves to its real python)
	assert result.stdout.strip() == "/opt/py/bin/python3.11"
	assert result.stderr == ""
	assert machine.out(f'sr_pick_python "{py}" "{sysdir}" frappe') == "/opt/py/bin/python3.11"


def test_roots_pyenv_python_falls_back_to_the_systems(machine):
	# root's pyenv shim works for root, not for the bench user
	rootdir = machine.root / "root" / ".pyenv" / "shims"
	machine.python(rootdir / "python3", "3.11")
	sysdir = machine.root / "usr-bin"
	machine.python(sysdir / "python3.11", "3.11")
	machine.python(sysdir / "python3.10", "3.10")
	as_bench_user = (
		f'sr_as_user() {{ case $1 in {machine.root}/root/*) '
		'echo "runuser: failed to execute $1: Permission denied" >&2; return 126;; esac; "$@"; }\n'
	)
	path = f"{rootdir}:{machine.env['PATH']}"
	result = machine.run(as_bench_user + f'sr_pick_python python3 "{sysdir}" frappe', PATH=path)
	assert result.returncode == 0, result.stderr
	assert result.stdout.strip() == f"{sysdir}/python3.11"
	assert "python3 is not usable by frappe" in result.stderr
	assert "Permission denied" in result.stderr


def test_a_python_file_nobody_can_execute_falls_back(machine):
	machine.stub("python3", "echo never", mode=0o644)
	sysdir = machine.root / "usr-bin"
	machine.python(sysdir / "python3.12", "3.12")
	result = machine.run(f'sr_pick_python python3 "{sysdir}" frappe')
	assert result.returncode == 0, result.stderr
	assert result.stdout.strip() == f"{sysdir}/python3.12"


@pytest.mark.parametrize("version", ["3.9", "3.13", "2.7"])
def test_a_python_outside_3_10_to_3_12_falls_back(machine, version):
	machine.python(machine.stubs / "python3", version)
	sysdir = machine.root / "usr-bin"
	machine.python(sysdir / "python3.10", "3.10")
	result = machine.run(f'sr_pick_python python3 "{sysdir}" frappe')
	assert result.returncode == 0, result.stderr
	assert result.stdout.strip() == f"{sysdir}/python3.10"
	assert f"Python {version}; Frappe v15 needs 3.10, 3.11 or 3.12" in result.stderr


def test_no_usable_python_says_what_to_set(machine):
	machine.python(machine.stubs / "python3", "3.13")
	sysdir = machine.root / "usr-bin"
	sysdir.mkdir()
	result = machine.run(f'sr_pick_python python3 "{sysdir}" frappe')
	assert result.returncode == 1
	assert result.stdout == ""
	assert "No Python 3.10-3.12 that user frappe can run" in result.stderr
	assert "SR_PYTHON=/usr/bin/python3.11 scripts/setup.sh" in result.stderr


def test_a_missing_requested_python_falls_back(machine):
	sysdir = machine.root / "usr-bin"
	machine.python(sysdir / "python3.11", "3.11")
	result = machine.run(f'sr_pick_python /nowhere/python3 "{sysdir}" frappe')
	assert result.stdout.strip() == f"{sysdir}/python3.11"
	assert "/nowhere/python3: not found" in result.stderr


def test_path_without_roots_home(machine):
	path = "/root/.pyenv/shims:/root/.cargo/bin:/usr/local/bin:/root:/usr/bin:/rootless/bin:/bin"
	assert machine.out(f'sr_path_without /root "{path}"') == "/usr/local/bin:/usr/bin:/rootless/bin:/bin"


# --- the bench CLI -----------------------------------------------------------------------------------


def test_bench_cli_of_the_owner_first(machine):
	owners = machine.stub("bench", "echo 5.31.1", machine.home / ".local" / "bin")
	machine.stub("bench", "echo 5.0.0")  # another one on PATH
	assert machine.out(f'sr_find_bench_cli "{machine.home}"') == str(owners)


def test_bench_cli_on_path_when_the_owner_has_none(machine):
	on_path = machine.stub("bench", "echo 5.31.1")
	assert machine.out(f'sr_find_bench_cli "{machine.home}"') == str(on_path)


def test_no_bench_cli_the_owner_can_run(machine):
	# only root's (pyenv) bench: the owner cannot run it
	rootbin = machine.root / "root" / "bin"
	machine.stub("bench", "echo 5.31.1", rootbin)
	as_owner = 'sr_as_user() { case $1 in */root/*) return 126;; esac; "$@"; }\n'
	path = f"{rootbin}:{machine.env['PATH']}"
	result = machine.run(as_owner + f'sr_find_bench_cli "{machine.home}"', PATH=path)
	assert result.returncode == 1
	assert result.stdout == ""


# --- scripts/test.sh: finds the owner's bench CLI, and every stop says what to do ---------------------


def run_test_sh(machine: Machine, bench: Path) -> subprocess.CompletedProcess:
	machine.stub("sleep", "exit 0")  # its waits for MariaDB take no time here
	for name in ("mysqladmin", "service", "sudo", "runuser"):
		machine.stub(name, "exit 1")
	return subprocess.run(
		[BASH, str(TEST_SH)],
		env={**machine.env, "SR_BENCH": str(bench), "SR_SKIP_PURE": "1"},
		capture_output=True,
		text=True,
		timeout=120,
	)


def fake_bench(machine: Machine) -> Path:
	bench = machine.bench(machine.home / "frappe-bench")
	for app in ("frappe", "erpnext"):
		(bench / "apps" / app).mkdir(parents=True)
	machine.stub("python", "exit 0", bench / "env" / "bin")
	return bench


def test_test_sh_without_a_bench_says_to_run_setup(machine):
	result = run_test_sh(machine, machine.root / "nowhere")
	assert result.returncode == 1
	assert "No bench with Frappe and ERPNext" in result.stderr
	assert "scripts/setup.sh" in result.stderr


def test_test_sh_without_a_bench_cli_says_how_to_install_it(machine):
	result = run_test_sh(machine, fake_bench(machine))
	assert result.returncode == 1
	assert "No bench CLI" in result.stderr
	assert "pip install --user frappe-bench" in result.stderr


def test_test_sh_uses_the_owners_bench_cli_off_path(machine):
	# setup.sh installed bench into the owner's ~/.local/bin, which is not on this shell's PATH
	machine.stub("bench", "echo 5.31.1", machine.home / ".local" / "bin")
	result = run_test_sh(machine, fake_bench(machine))
	# it got past the bench CLI, to MariaDB (a stub that never answers)
	assert result.returncode == 1
	assert "No bench CLI" not in result.stderr
	assert "MariaDB did not start" in result.stderr
	assert "service mariadb start" in result.stderr


# --- Redis ports -------------------------------------------------------------------------------------


def test_redis_ports_kept_when_free(machine):
	bench = machine.bench(machine.home / "frappe-bench")
	machine.listening({})
	assert machine.out(f'sr_pick_redis_port "{bench}" 13000') == "13000"
	assert machine.out(f'sr_pick_redis_port "{bench}" 11000 13000') == "11000"
	assert machine.out(f'sr_config_port "{bench}" redis_queue') == "11000"
	assert machine.out(f'sr_config_port_number "{bench}" webserver_port') == "8000"


def test_another_users_bench_on_the_defaults_moves_the_new_one(machine):
	bench = machine.bench(machine.home / "frappe-bench")
	machine.bench(machine.root / "home" / "alice" / "erp-bench")  # 13000 / 11000, not running
	machine.listening({})
	assert machine.out(f'sr_claimed_ports "{bench}"').split() == ["11000", "13000"]
	cache = machine.out(f'sr_pick_redis_port "{bench}" 13000')
	assert cache == "13001"
	assert machine.out(f'sr_pick_redis_port "{bench}" 11000 {cache}') == "11001"


def test_ports_another_benchs_redis_listens_on_are_skipped(machine):
	bench = machine.bench(machine.home / "frappe-bench")
	# another bench's Redis on 13000 and a non-Redis program on 13001; another bench configured 13002
	machine.bench(machine.root / "benches" / "old-bench", redis_cache=13002, redis_queue=11005)
	machine.listening({13000: "/srv/other-bench/config/redis_cache.conf", 13001: None})
	assert machine.out(f'sr_pick_redis_port "{bench}" 13000') == "13003"


def test_this_benchs_own_running_redis_keeps_its_port(machine):
	bench = machine.bench(machine.home / "frappe-bench")
	machine.bench(machine.root / "home" / "alice" / "erp-bench")  # also says 13000
	machine.listening({13000: f"{bench}/config/redis_cache.conf"})
	assert machine.run(f'sr_port_is_benchs_redis 13000 "{bench}"').returncode == 0
	assert machine.out(f'sr_pick_redis_port "{bench}" 13000') == "13000"


def test_the_bench_through_a_symlink_is_not_another_bench(machine):
	bench = machine.bench(machine.home / "frappe-bench")
	link_home = machine.root / "home" / "root"
	link_home.mkdir(parents=True)
	(link_home / "frappe-bench").symlink_to(bench)  # root's ~/frappe-bench -> the bench user's
	machine.listening({})
	assert machine.out(f'sr_other_benches "{bench}"') == ""
	assert machine.out(f'sr_pick_redis_port "{bench}" 13000') == "13000"


def test_a_queue_port_never_equals_the_chosen_cache_port(machine):
	bench = machine.bench(machine.home / "frappe-bench", redis_cache=13000, redis_queue=13000)
	machine.listening({})
	assert machine.out(f'sr_pick_redis_port "{bench}" 13000 13000') == "13001"


def test_port_listening_without_ss_uses_bash(machine):
	# no `ss` on PATH: bash's /dev/tcp on the loopback interface
	with socket.socket() as server:
		server.bind(("127.0.0.1", 0))
		server.listen()
		port = server.getsockname()[1]
		assert machine.run(f"sr_port_listening {port}").returncode == 0
	assert machine.run(f"sr_port_listening {port}").returncode == 1


def test_setup_and_test_scripts_use_these_functions():
	setup = (ROOT / "scripts" / "setup.sh").read_text()
	for function in ("sr_node_packages", "sr_pick_python", "sr_pick_redis_port", "sr_find_bench_cli"):
		assert function in setup, function
	assert "sr_find_bench_cli" in TEST_SH.read_text()
	assert os.access(ROOT / "scripts" / "setup.sh", os.X_OK) and os.access(TEST_SH, os.X_OK)
