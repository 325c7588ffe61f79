/**
 * End-to-end fixtures: the BUILT server in a child process with its own data directory, which a
 * test can stop (SIGTERM) and start again on the same port and data, and browser "people" (one
 * context each, as two laptops at a forum).
 */
import fs from 'node:fs';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { seedFacilitator } from '../fixtures/accounts';
import { seedMember } from '../fixtures/members';
import { LOCAL_COPY_PREFIX, localCopyName, PAGES_CACHE } from '../../src/lib/shared/offline';

export class AppServer {
	readonly port: number;
	readonly dataDir: string;
	#child: ChildServer | null = null;
	#log = '';

	readonly #env: Record<string, string>;

	constructor(port: number, dataDir: string, env: Record<string, string> = {}) {
		this.port = port;
		this.dataDir = dataDir;
		this.#env = env;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get running(): boolean {
		return this.#child !== null;
	}

	/** Everything the server processes printed, across restarts. */
	get log(): string {
		return this.#log + (this.#child?.output() ?? '');
	}

	async start(): Promise<void> {
		if (this.#child) throw new Error('the server is already running');
		this.#child = await spawnServer({
			PORT: String(this.port),
			DATA_DIR: this.dataDir,
			...this.#env
		});
	}

	/** Graceful stop (SIGTERM); fails the test if the server does not exit cleanly. */
	async stop(): Promise<void> {
		const child = this.#child;
		if (!child) throw new Error('the server is not running');
		this.#child = null;
		child.process.kill('SIGTERM');
		const { code, signal } = await child.exited;
		this.#log += child.output();
		if (code !== 0) throw new Error(`server exited with ${code ?? signal}:\n${child.output()}`);
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/** Teardown: whatever state the test left it in. */
	async dispose(): Promise<void> {
		const child = this.#child;
		this.#child = null;
		if (child) {
			child.process.kill('SIGTERM');
			const timer = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
			await child.exited;
			clearTimeout(timer);
			this.#log += child.output();
		}
		fs.rmSync(this.dataDir, { recursive: true, force: true });
	}
}

export interface PersonOptions {
	/** The browser's preferred language (Accept-Language and navigator.languages). */
	locale?: string;
	viewport?: { width: number; height: number };
	/** 'block': a browser whose service worker has not (yet) kept the app's files on the device. */
	serviceWorkers?: 'allow' | 'block';
}

interface Fixtures {
	/** Extra environment for the server (`test.use({ serverEnv: { HOST: '0.0.0.0' } })`). */
	serverEnv: Record<string, string>;
	app: AppServer;
	/** Opens a new browser context on the app: another person with their own device. */
	openPerson: (options?: PersonOptions) => Promise<Page>;
}

export const test = base.extend<Fixtures>({
	serverEnv: [{}, { option: true }],
	app: async ({ serverEnv }, use, testInfo) => {
		const app = new AppServer(await freePort(), tempDataDir(), serverEnv);
		await app.start();
		try {
			await use(app);
		} finally {
			await app.dispose();
			if (testInfo.status !== testInfo.expectedStatus) {
				await testInfo.attach('server.log', { body: app.log, contentType: 'text/plain' });
			}
		}
	},
	baseURL: async ({ app }, use) => {
		await use(app.url);
	},
	locale: 'fr-FR',
	openPerson: async ({ app, browser }, use) => {
		const contexts: BrowserContext[] = [];
		const pageErrors: string[] = [];
		await use(async (options = {}) => {
			const context = await browser.newContext({
				baseURL: app.url,
				locale: options.locale ?? 'fr-FR',
				viewport: options.viewport ?? { width: 1280, height: 800 },
				serviceWorkers: options.serviceWorkers ?? 'allow'
			});
			contexts.push(context);
			appOf.set(context, app);
			const page = await context.newPage();
			page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
			return page;
		});
		for (const context of contexts) await context.close();
		// A crashed page only shows as missing elements: name the real cause (e.g. a stale build).
		expect(pageErrors, 'uncaught errors in the page').toEqual([]);
	}
});

export { expect };

/**
 * Opens the board at `path` on another device of `owner` (same session): the room's projector is
 * the facilitator's second screen.
 */
export async function openAsSameAccount(page: Page, owner: Page, path: string): Promise<void> {
	await page.context().addCookies(await owner.context().cookies());
	await page.goto(path);
}

/** The server each person's browser context talks to (for seeding their account). */
const appOf = new WeakMap<BrowserContext, AppServer>();

/** Signs the person in as a new facilitator: an account and session seeded in the database. */
export async function signInAsFacilitator(page: Page, login?: string): Promise<{ login: string }> {
	const app = appOf.get(page.context());
	if (!app) throw new Error('open the person with openPerson() first');
	const seeded = await seedFacilitator(app.dataDir, login);
	await page
		.context()
		.addCookies([
			{ name: 'session', value: seeded.token, url: app.url, httpOnly: true, sameSite: 'Lax' }
		]);
	return { login: seeded.login };
}

/** Creates a workshop through the home page form (as a facilitator); returns the board's path. */
export async function createWorkshop(page: Page, title: string): Promise<string> {
	const cookies = await page.context().cookies();
	if (!cookies.some((cookie) => cookie.name === 'session')) await signInAsFacilitator(page);
	await page.goto('/');
	await page.getByLabel("Titre de l'atelier").fill(title);
	await page.getByRole('button', { name: "Créer l'atelier" }).click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	return new URL(page.url()).pathname;
}

/**
 * Makes the person a participant of the board at `path` (a device session and membership seeded in
 * the database, as if they had joined with the code) unless they already hold a session.
 */
export async function admitParticipant(
	page: Page,
	path: string,
	name = 'Moussa',
	organisation?: string
): Promise<void> {
	const app = appOf.get(page.context());
	if (!app) throw new Error('open the person with openPerson() first');
	const cookies = await page.context().cookies();
	if (cookies.some((cookie) => cookie.name === 'session')) return;
	const workshopId = path.split('/').pop()!;
	const member = await seedMember(app.dataDir, workshopId, {
		role: 'participant',
		name,
		organisation
	});
	await page
		.context()
		.addCookies([
			{ name: 'session', value: member.token, url: app.url, httpOnly: true, sameSite: 'Lax' }
		]);
}

/** What this device holds of boards: local copies (IndexedDB) and cached board pages. */
export async function heldOnDevice(page: Page): Promise<{ copies: string[]; pages: string[] }> {
	return page.evaluate(
		async ({ prefix, cacheName }) => {
			const databases = await indexedDB.databases();
			const cache = await caches.open(cacheName);
			return {
				copies: databases
					.map((database) => database.name ?? '')
					.filter((name) => name.startsWith(prefix)),
				pages: (await cache.keys()).map((request) => new URL(request.url).pathname)
			};
		},
		{ prefix: LOCAL_COPY_PREFIX, cacheName: PAGES_CACHE }
	);
}

/**
 * Waits until the device holds `board` for offline use: its local copy, its page and its data
 * cached by the service worker, which controls the page. A test that stops the server before
 * then tests a race, not the offline board.
 */
export async function waitUntilHeldOffline(page: Page, board: string): Promise<void> {
	const workshopId = board.split('/').pop()!;
	await expect
		.poll(async () => {
			const held = await heldOnDevice(page);
			return (
				held.copies.includes(localCopyName(workshopId)) &&
				held.pages.includes(board) &&
				held.pages.includes(`${board}/__data.json`)
			);
		})
		.toBe(true);
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
		.toBe(true);
}
