// Chromium (Debian's package, never a downloaded browser) driven by playwright-core, with a watch on
// every page for JavaScript errors and a screenshot helper.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { LANG, SITE } from "./site.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.join(HERE, "..", "artifacts");
// SR_GUIDE_SHOTS=1 (`npm run guide`): the screenshots the user guide shows also go, as small JPEGs, to
// docs/images/<SR_LANG>/, taken at a modest viewport
export const GUIDE = process.env.SR_GUIDE_SHOTS === "1";
export const GUIDE_IMAGES = path.join(HERE, "..", "..", "docs", "images", LANG);
const VIEWPORT = GUIDE ? { width: 1280, height: 800 } : { width: 1366, height: 900 };

export const CHROMIUM = process.env.SR_CHROMIUM || "/usr/bin/chromium";
const ARGS = [
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--no-first-run",
];

// Console errors that are not the app's JavaScript failing. Keep this list short and explained.
export const CONSOLE_ALLOWLIST = [
	// The tests run the web server only, not Frappe's socket.io server: the desk's realtime client
	// cannot connect and the browser logs the failed connection.
	/socket\.io/i,
	/WebSocket connection to/i,
];

export async function launch() {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	if (GUIDE) fs.mkdirSync(GUIDE_IMAGES, { recursive: true });
	return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export async function newContext(browser, base, options = {}) {
	return browser.newContext({
		baseURL: base,
		// gunicorn serves every site of the bench; this header picks ours
		extraHTTPHeaders: { "X-Frappe-Site-Name": SITE },
		viewport: VIEWPORT,
		locale: LANG === "zh" ? "zh-CN" : "en-US",
		...options,
	});
}

// Every page records page errors and console errors; `assertClean` fails the test on any of them
// except the allowlist and the `expected` patterns of that step (e.g. a refusal the test provokes).
export function watch(page) {
	page.errors = [];
	page.httpErrors = []; // to explain a console error "Failed to load resource"
	page.on("response", (response) => {
		if (response.status() >= 400) {
			const body = (response.request().postData() || "").slice(0, 300);
			page.httpErrors.push(`${response.status()} ${response.url()} ${body}`);
		}
	});
	page.on("pageerror", (error) => page.errors.push(`pageerror: ${error.message}`));
	page.on("console", (message) => {
		if (message.type() === "error") {
			page.errors.push(`console.error: ${message.text()} (${message.location()?.url || "?"})`);
		}
	});
	return page;
}

export function unexpectedErrors(page, expected = []) {
	return page.errors.filter(
		(text) => ![...CONSOLE_ALLOWLIST, ...expected].some((pattern) => pattern.test(text))
	);
}

// a screenshot in artifacts/ (zh-… in Chinese); with `guide` and SR_GUIDE_SHOTS=1 also the guide's image
// docs/images/<lang>/<guide>.jpg
export async function shot(page, name, guide = null) {
	const prefix = LANG === "en" ? "" : `${LANG}-`;
	await page.screenshot({ path: path.join(ARTIFACTS, `${prefix}${name}.png`), fullPage: false });
	if (GUIDE && guide) {
		await page.mouse.move(0, 0); // no hover highlight in the guide
		await page.screenshot({ path: path.join(GUIDE_IMAGES, `${guide}.jpg`), type: "jpeg", quality: 70 });
	}
}

export async function login(context, user, password) {
	const page = watch(await context.newPage());
	await page.goto("/login");
	await page.locator(".for-login #login_email").fill(user);
	await page.locator(".for-login #login_password").fill(password);
	await page.locator(".for-login .btn-login").click();
	await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 30_000 });
	return page;
}

// -- the desk ------------------------------------------------------------------------------------------

export async function desk(page, route) {
	await page.goto(`/app/${route}`);
	await page.waitForFunction(() => window.frappe?.boot && window.cur_page?.page && !window.frappe.dom?.freeze_count, null, { timeout: 30_000 });
	await page.waitForLoadState("networkidle");
}

export async function openForm(page, doctype, name) {
	await page.goto(`/app/${slug(doctype)}/${encodeURIComponent(name)}`);
	await page.waitForFunction(
		([dt, dn]) => window.cur_frm?.doc?.doctype === dt && (dn === null || window.cur_frm.doc.name === dn) && !window.cur_frm.doc.__unsaved_refresh,
		[doctype, name === "new" ? null : name],
		{ timeout: 30_000 }
	);
	await page.waitForLoadState("networkidle");
}

export function slug(doctype) {
	return doctype.toLowerCase().replace(/ /g, "-");
}

export async function setValues(page, values) {
	await page.evaluate(async (v) => {
		for (const [field, value] of Object.entries(v)) await window.cur_frm.set_value(field, value);
	}, values);
	await page.waitForLoadState("networkidle");
}

export async function save(page) {
	await page.keyboard.press("Control+s");
	await page.waitForFunction(() => !window.cur_frm.is_new() && !window.cur_frm.is_dirty() && !window.cur_frm.save_disabled, null, { timeout: 30_000 });
	await page.waitForLoadState("networkidle");
}

// a workflow action from the form's Actions menu
export async function workflowAction(page, action) {
	await page.locator(".page-actions .actions-btn-group > button:visible").click();
	await page.locator(".page-actions .actions-btn-group .dropdown-menu a:visible", { hasText: action }).first().click();
}

export async function customButton(page, label, group = null) {
	if (group) {
		await page.locator(`.page-actions .inner-group-button[data-label="${encodeURIComponent(group)}"] > button:visible`).click();
		await page.locator(`.page-actions .inner-group-button[data-label="${encodeURIComponent(group)}"] .dropdown-menu a:visible`, { hasText: label }).first().click();
	} else {
		await page.locator(`.page-actions button[data-label="${encodeURIComponent(label)}"]:visible`).first().click();
	}
}

export async function docValue(page, field) {
	return page.evaluate((f) => window.cur_frm.doc[f], field);
}
