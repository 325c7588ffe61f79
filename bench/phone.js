// `npm run bench:phone`: what a participant's phone pays, against the built server (issue #14), into
// bench/results.json under `phone` (every other key kept). Schema and method in bench/README.md.
// Usage: node bench/phone.js [--out bench/results.json] [--forum-people 60] [--quick]
import { spawn, execSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { bundleModule } from './bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
	process.argv.slice(2).map((arg, index, list) => {
		const name = arg.replace(/^--/, '');
		const value = list[index + 1];
		return [name, value && !value.startsWith('--') ? value : true];
	})
);
const out = path.resolve(root, String(args.out ?? 'bench/results.json'));
const quick = Boolean(args.quick);
const forumPeople = Number(args['forum-people'] ?? 60);
const IDLE_MS = quick ? 20_000 : 60_000;

/** Issue #14's network profiles (Chromium's emulation: latency is added per request). */
const PROFILES = {
	'3g-150ms': { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 },
	'3g-400ms': { latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 }
};
const TARGETS = {
	cold_usable_ms: { '3g-150ms': 2500, '3g-400ms': 5000 },
	warm_offline_reopen_ms: 1000,
	first_sync_300_allies_bytes: 30 * 1024,
	idle_bytes_per_min_each_way: 512,
	forum_bytes_each_way: 1_000_000
};

/**
 * The two-hour forum, per participant (compressed in time: see bench/README.md): allies added,
 * study fields typed one character per update (what YTextInput sends), and presence changes
 * (the step moved to, the field being edited).
 */
const FORUM = { allies: 3, fields: 6, charsPerField: 60, presenceChanges: 60, minutes: 120 };

if (!fs.existsSync(path.join(root, 'build/coalition-server.js'))) {
	console.log('building the app first…');
	execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
const { seedMember } = await bundleModule('tests/fixtures/members.ts', 'seed-members.js');
const clients = await bundleModule('bench/phone-clients.ts', 'phone-clients.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coalition-phone-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
let server = await startServer();
const startedAt = Date.now();
const loadAtStart = round(os.loadavg()[0]);
const results = {};
try {
	results.first_sync_300_allies_bytes = await firstSync();
	console.log('first sync of 300 allies:', results.first_sync_300_allies_bytes, 'bytes down');
	results.idle_bytes_per_min = await idle([10, 60]);
	console.log('idle bytes per minute:', JSON.stringify(results.idle_bytes_per_min));
	results.forum = await forum(forumPeople, results.idle_bytes_per_min['60']);
	console.log('two-hour forum per phone:', JSON.stringify(results.forum));
	results.cold_usable_ms = {};
	const board = await seedBoard('phone-timing', 30);
	for (const [name, conditions] of Object.entries(PROFILES)) {
		results.cold_usable_ms[name] = await coldUsable(board, conditions);
		console.log(`cold time to usable, ${name}:`, results.cold_usable_ms[name], 'ms');
	}
	results.warm_offline_reopen_ms = await warmOfflineReopen(board);
	console.log('warm offline reopen:', results.warm_offline_reopen_ms, 'ms');
} finally {
	server?.kill('SIGTERM');
	fs.rmSync(dataDir, { recursive: true, force: true });
}

const previous = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
previous.phone = {
	date: new Date().toISOString(),
	commit: execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim(),
	cpu: os.cpus()[0]?.model ?? null,
	duration_s: Math.round((Date.now() - startedAt) / 1000),
	// The timings depend on the machine's load (the byte counts do not).
	load_average_1m: { start: loadAtStart, end: round(os.loadavg()[0]) },
	viewport: '360x640',
	profiles: PROFILES,
	forum_model: { people: forumPeople, ...FORUM },
	figures: results,
	targets: TARGETS
};
// ASCII only, as the file was: other keys keep their exact text.
const ascii = JSON.stringify(previous, null, 2).replace(
	/[\u007f-\uffff]/g,
	(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
);
fs.writeFileSync(out, ascii + '\n');
console.log(`written to ${path.relative(root, out)} (key "phone")`);

async function firstSync() {
	const room = 'phone-first-sync';
	await seedBoard(room, 300);
	const phone = clients.connectCounted(url, room, (await member(room)).cookie);
	await until(() => phone.connection.provider.synced, 30_000);
	await sleep(500);
	const { down } = phone.bytes();
	phone.connection.destroy();
	return down;
}

/** Rooms of each size at once, everyone present and idle, one minute measured per phone. */
async function idle(sizes) {
	const rooms = await Promise.all(
		sizes.map(async (size) => {
			const room = `phone-idle-${size}`;
			const members = [];
			for (let index = 0; index < size; index++) members.push(await member(room));
			const phones = members.map((seeded) => clients.connectCounted(url, room, seeded.cookie));
			return { size, phones };
		})
	);
	const all = rooms.flatMap((room) => room.phones);
	await until(() => all.every((phone) => phone.connection.provider.synced), 60_000);
	// What the board does on arrival (BoardState): a colour and the step looked at.
	for (const phone of all) {
		phone.connection.provider.awareness.setLocalStateField('color', '#1565c0');
		phone.connection.provider.awareness.setLocalStateField('step', 'identify');
	}
	await until(
		() =>
			rooms.every(({ size, phones }) =>
				phones.every((phone) => phone.connection.provider.awareness.getStates().size === size)
			),
		60_000
	);
	await sleep(3_000); // the arrival burst drains (as tests/integration/idle-traffic.test.ts)
	const before = all.map((phone) => phone.bytes());
	await sleep(IDLE_MS);
	const figures = {};
	for (const { size, phones } of rooms) {
		const per = phones.map((phone) => {
			const start = before[all.indexOf(phone)];
			const now = phone.bytes();
			return { down: now.down - start.down, up: now.up - start.up };
		});
		const scale = 60_000 / IDLE_MS;
		figures[size] = {
			down: Math.round(median(per.map((p) => p.down)) * scale),
			up: Math.round(median(per.map((p) => p.up)) * scale),
			down_max: Math.round(Math.max(...per.map((p) => p.down)) * scale),
			up_max: Math.round(Math.max(...per.map((p) => p.up)) * scale),
			reconnections: phones.reduce((sum, phone) => sum + phone.connections() - 1, 0)
		};
	}
	for (const phone of all) phone.connection.destroy();
	return figures;
}

/**
 * The forum's activity, compressed: every participant does their two hours' worth of edits and
 * presence changes at a steady pace, all at once; then the time-driven traffic of two idle hours
 * (renewals, pings), measured above per minute, is added. Largest phone's bytes each way.
 */
async function forum(people, idlePerMinute) {
	const room = 'phone-forum';
	const members = [];
	for (let index = 0; index < people; index++) members.push(await member(room));
	const phones = members.map((seeded) => clients.connectCounted(url, room, seeded.cookie));
	await until(() => phones.every((phone) => phone.connection.provider.synced), 60_000);
	for (const phone of phones)
		phone.connection.provider.awareness.setLocalStateField('color', '#1565c0');
	const steps = ['identify', 'study', 'objective', 'mobilise', 'tasks', 'maintain'];
	await Promise.all(
		phones.map(async (phone, index) => {
			const { doc, provider } = phone.connection;
			await sleep(index * 20);
			const allies = [];
			for (let count = 0; count < FORUM.allies; count++)
				allies.push(clients.addAlly(doc, { name: `Allié ${index}-${count}`, type: 'association' }));
			let presence = 0;
			for (let field = 0; field < FORUM.fields; field++) {
				const ally = allies[field % allies.length];
				const name = clients.ALLY_FIELD_NAMES[field % clients.ALLY_FIELD_NAMES.length];
				const text = clients.getAllyText(doc, ally, name);
				const changes = FORUM.presenceChanges / FORUM.fields;
				for (let change = 0; change < changes; change++, presence++) {
					provider.awareness.setLocalStateField(
						change % 2 ? 'editing' : 'step',
						change % 2 ? { item: ally, field: name } : steps[presence % steps.length]
					);
				}
				for (let char = 0; char < FORUM.charsPerField; char++) {
					text?.insert(text.length, 'abcdefghij'[char % 10]);
					await sleep(100); // 10 keystrokes a second, under the server's message limit
				}
			}
		})
	);
	// Everyone has everyone's edits: compare each phone's allies with the room's.
	const expected = people * FORUM.allies;
	await until(
		() => phones.every((phone) => phone.connection.doc.getMap('allies').size >= expected),
		120_000
	);
	await sleep(2_000);
	const per = phones.map((phone) => phone.bytes());
	const reconnected = phones.map((phone) => phone.connections() - 1);
	for (const phone of phones) phone.connection.destroy();
	const activity = {
		down: median(per.map((p) => p.down)),
		up: median(per.map((p) => p.up)),
		down_max: Math.max(...per.map((p) => p.down)),
		up_max: Math.max(...per.map((p) => p.up))
	};
	const reconnections = reconnected.reduce((sum, count) => sum + count, 0);
	return {
		activity_down_bytes: activity.down,
		activity_up_bytes: activity.up,
		activity_down_max_bytes: activity.down_max,
		activity_up_max_bytes: activity.up_max,
		idle_down_bytes: idlePerMinute.down * FORUM.minutes,
		idle_up_bytes: idlePerMinute.up * FORUM.minutes,
		down_bytes: activity.down + idlePerMinute.down * FORUM.minutes,
		up_bytes: activity.up + idlePerMinute.up * FORUM.minutes,
		reconnections
	};
}

/** A cold phone (fresh context, no cache, no service worker yet) opening the board. */
async function coldUsable(board, conditions) {
	const browser = await launch();
	try {
		const { page } = await phonePage(browser, board.room);
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
		await page.goto(`${url}/w/${board.room}`, { waitUntil: 'commit' });
		return Math.round(await usable(page, { synced: true }));
	} finally {
		await browser.close();
	}
}

/** The same phone reopening the board it opened once, with the server gone. */
async function warmOfflineReopen(board) {
	const browser = await launch();
	try {
		const { page } = await phonePage(browser, board.room);
		await page.goto(`${url}/w/${board.room}`);
		await usable(page, { synced: true });
		// Held on the device: the local copy, the page and its data cached, the worker in control.
		await until(
			() =>
				page.evaluate(
					async (name) =>
						navigator.serviceWorker.controller !== null &&
						(await indexedDB.databases()).some((database) => database.name === name) &&
						(await caches.open('coalition-board-pages').then((cache) => cache.keys())).length >= 2,
					`coalition-board:${board.room}`
				),
			30_000
		);
		server.kill('SIGTERM');
		await new Promise((resolve) => server.once('exit', resolve));
		server = null;
		await page.reload({ waitUntil: 'commit' });
		return Math.round(await usable(page, { synced: false }));
	} finally {
		await browser.close();
	}
}

/** ms since navigation start when step 1's "Ajouter l'allié" is visible and enabled (and saved). */
function usable(page, { synced }) {
	return page
		.waitForFunction(
			(synced) => {
				const button = [...document.querySelectorAll('button')].find(
					(candidate) => candidate.textContent?.trim() === "Ajouter l'allié"
				);
				const status = document.querySelector('[data-testid="save-status"]');
				const ready =
					button &&
					!button.disabled &&
					button.offsetParent !== null &&
					(!synced || status?.textContent?.trim() === 'Enregistré');
				return ready ? performance.now() : false;
			},
			synced,
			{ timeout: 60_000, polling: 'raf' }
		)
		.then((handle) => handle.jsonValue());
}

async function phonePage(browser, room) {
	const seeded = await member(room);
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		locale: 'fr-FR',
		serviceWorkers: 'allow'
	});
	await context.addCookies([
		{ name: 'session', value: seeded.token, url, httpOnly: true, sameSite: 'Lax' }
	]);
	return { page: await context.newPage() };
}

function launch() {
	const chromiumArgs = ['--disable-background-networking', '--disable-component-update'];
	if (process.getuid?.() === 0) chromiumArgs.push('--no-sandbox');
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: chromiumArgs
	});
}

/** A board with `allies` allies, study fields partly filled (as tests/integration/first-sync). */
async function seedBoard(room, allies) {
	const writer = clients.connectCounted(url, room, (await member(room, 'facilitator')).cookie);
	await until(() => writer.connection.provider.synced, 30_000);
	for (let index = 0; index < allies; index++) {
		const id = clients.addAlly(writer.connection.doc, {
			name: `Association des femmes de Kayes n° ${index}`,
			type: 'association'
		});
		if (index % 2 === 0)
			clients
				.getAllyText(writer.connection.doc, id, 'headquarters')
				?.insert(0, 'Kayes, quartier Plateau');
		if (index % 3 === 0)
			clients
				.getAllyText(writer.connection.doc, id, 'activities')
				?.insert(0, 'Santé maternelle, éducation des filles');
	}
	await until(() => writer.connection.saves.unsavedChanges === 0, 30_000);
	writer.connection.destroy();
	return { room };
}

function member(room, role = 'participant') {
	return seedMember(dataDir, room, { role });
}

function startServer() {
	const child = spawn(process.execPath, [path.join(root, 'build/coalition-server.js')], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'warn'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	return until(
		() =>
			fetch(`${url}/healthz`)
				.then((response) => response.ok)
				.catch(() => false),
		30_000
	).then(() => child);
}

async function until(check, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
		await sleep(100);
	}
}

function round(value) {
	return Math.round(value * 100) / 100;
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
	});
}
