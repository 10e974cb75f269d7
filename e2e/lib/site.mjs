// The site under test: fixtures made through the app (bench execute), and the bench's own web server
// (gunicorn) on a free loopback port, started and stopped by the tests.
//
// Environment:
//   SR_BENCH        the bench directory            (default /home/frappe/frappe-bench)
//   SR_TEST_SITE    the site, with allow_tests and the app installed (default test_site)
//   SR_LANG         the fixture users' language: en (default), or zh for the guide's Chinese screenshots
import { spawn, spawnSync, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const BENCH = path.resolve(process.env.SR_BENCH || "/home/frappe/frappe-bench");
export const SITE = process.env.SR_TEST_SITE || "test_site";
export const LANG = process.env.SR_LANG || "en";

// bench refuses root: run as the bench's owner, with the owner's HOME
function ownerPrefix() {
	const uid = fs.statSync(BENCH).uid;
	if (process.getuid() !== 0 || uid === 0) return [];
	const owner = execFileSync("id", ["-nu", String(uid)], { encoding: "utf8" }).trim();
	const home = execFileSync("getent", ["passwd", owner], { encoding: "utf8" }).split(":")[5];
	return ["runuser", "-u", owner, "--", "env", `HOME=${home}`];
}

function asOwner(args, options = {}) {
	const full = [...ownerPrefix(), ...args];
	return { cmd: full[0], args: full.slice(1), options: { cwd: path.join(BENCH, "sites"), ...options } };
}

// `bench --site SITE execute METHOD --kwargs JSON`, without needing the bench CLI on PATH
export function execute(method, kwargs) {
	const { cmd, args, options } = asOwner([
		path.join(BENCH, "env/bin/python"), "-m", "frappe.utils.bench_helper", "frappe",
		"--site", SITE, "execute", method, "--kwargs", JSON.stringify(kwargs),
	]);
	const result = spawnSync(cmd, args, { ...options, encoding: "utf8", timeout: 300_000 });
	if (result.status !== 0) {
		throw new Error(`${method} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
}

// a directory the bench's owner can write the fixtures' JSON into
export function makeFixtures() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sr-e2e-"));
	fs.chmodSync(dir, 0o777);
	const file = path.join(dir, "fixtures.json");
	execute("sales_reengineering.tests.e2e_fixtures.create", { out: file, language: LANG });
	const data = JSON.parse(fs.readFileSync(file, "utf8"));
	data.file = file;
	return data;
}

export function purgeFixtures(data) {
	if (!data?.file) return;
	execute("sales_reengineering.tests.e2e_fixtures.purge", { path: data.file });
	fs.rmSync(path.dirname(data.file), { recursive: true, force: true });
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

// gunicorn serving the bench's sites on 127.0.0.1 only (with /assets and /files, which nginx serves in
// production); the site is chosen by the X-Frappe-Site-Name header
export async function startServer() {
	const port = await freePort();
	const { cmd, args, options } = asOwner([
		path.join(BENCH, "env/bin/gunicorn"), "--bind", `127.0.0.1:${port}`, "--workers", "2",
		"--threads", "4", "--timeout", "120", "--preload", "frappe.app:application_with_statics()",
	]);
	const log = [];
	const child = spawn(cmd, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
	for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => log.push(String(chunk)));
	const base = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`gunicorn exited (${child.exitCode}):\n${log.join("")}`);
		try {
			const response = await fetch(`${base}/api/method/ping`, { headers: { "X-Frappe-Site-Name": SITE } });
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			stopServer({ child });
			throw new Error(`gunicorn did not answer on ${base} within 60 s:\n${log.join("")}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return { child, base, log };
}

export function stopServer(server) {
	if (!server?.child || server.child.exitCode !== null) return;
	try {
		process.kill(-server.child.pid, "SIGTERM"); // the process group: runuser and gunicorn's workers
	} catch {
		// already gone
	}
}
