/**
 * The facilitator's settings and members pages through the built app (SvelteKit handler in the
 * real server, real SQLite), driven by raw HTTP clients and raw WebSockets that bypass the UI:
 * every load and form action is checked on the server, and what they change reaches live sockets.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { Browser } from '../fixtures/http';
import { seedFacilitator } from '../fixtures/accounts';
import {
	closedWithin,
	expectAnswered,
	openRawClient,
	upgradeStatus,
	type RawClient
} from '../fixtures/raw-socket';
import { decodeQrSvg } from '../fixtures/qr';
import { rowsMentioning } from '../fixtures/storage-rows';
import { openStorage } from '../../server/storage/open';
import type { Role, Storage } from '../../src/lib/server/ports/storage';

const PUBLIC_URL = 'http://forum.kayes.example';
let app: ChildServer;
const raws: RawClient[] = [];

beforeAll(async () => {
	// PUBLIC_URL is what invite links and the QR code carry (the test's requests reach the server directly).
	app = await spawnServer({ PORT: String(await freePort()), DATA_DIR: tempDataDir(), PUBLIC_URL });
});
afterAll(async () => {
	for (const raw of raws) raw.ws.terminate();
	app.process.kill('SIGTERM');
	await app.exited;
});

async function facilitator(): Promise<{ browser: Browser; login: string; userId: string }> {
	const seeded = await seedFacilitator(app.dataDir);
	const browser = new Browser(app.url);
	browser.jar.set('session', seeded.token);
	return { browser, login: seeded.login, userId: seeded.userId };
}

async function createWorkshop(browser: Browser, fields: Record<string, string>): Promise<string> {
	const response = await browser.post('/?/create', fields);
	expect(response.status, await response.clone().text()).toBe(303);
	return response.headers.get('location')!.split('/').pop()!;
}

/** The page's links, from the settings page a facilitator sees. */
async function settingsOf(browser: Browser, id: string) {
	const response = await browser.get(`/w/${id}/settings`);
	expect(response.status).toBe(200);
	const html = await response.text();
	const invite = /data-testid="invite-url"[^>]*>([^<]+)</.exec(html)![1];
	return {
		html,
		code: /data-testid="settings-join-code"[^>]*>([A-Z2-9]{6})</.exec(html)![1],
		invite,
		observer: /data-testid="observer-url"[^>]*>([^<]+)</.exec(html)![1],
		qr: /<svg[\s\S]*?<\/svg>/.exec(html)![0]
	};
}

/** Joins through a link's page as a new device: the participant's browser. */
async function join(link: string, name: string, organisation: string): Promise<Browser> {
	const browser = new Browser(app.url);
	const response = await browser.post(new URL(link).pathname, { name, organisation });
	expect(response.status, await response.clone().text()).toBe(303);
	return browser;
}

async function yjs(browser: Browser, id: string): Promise<RawClient> {
	const client = await openRawClient(app.url, id, { headers: { cookie: browser.jar.header } });
	raws.push(client);
	await expectAnswered(client);
	return client;
}

let opened: Promise<Storage> | null = null;
afterEach(async () => {
	const storage = opened;
	opened = null;
	// One that failed to open closed itself (and failed its test).
	if (storage) await (await storage.catch(() => null))?.close();
});

/**
 * The server's storage, opened beside it on its DATA_DIR (SQLite's WAL allows a second
 * connection) to read what the pages wrote: one per test, closed after it.
 */
function storage(): Promise<Storage> {
	opened ??= (async () => {
		const storage = openStorage({ database: null, dataDir: app.dataDir, busyTimeoutMs: 5000 });
		try {
			await storage.ready();
		} catch (error) {
			await storage.close();
			throw error;
		}
		return storage;
	})();
	return opened;
}

/** The user id of the workshop's member who matches. */
async function memberId(id: string, which: { name?: string; role?: Role }): Promise<string> {
	const members = await (await storage()).listMembers(id);
	const member = members.find(
		(m) =>
			(which.name === undefined || m.name === which.name) &&
			(which.role === undefined || m.role === which.role)
	);
	if (!member) throw new Error(`no member ${JSON.stringify(which)} in ${id}`);
	return member.userId;
}

describe('creating a workshop', () => {
	it('stores its date, place, language and issue, shown to members with the board', async () => {
		const { browser } = await facilitator();
		const id = await createWorkshop(browser, {
			title: 'Forum de Kayes',
			date: '2026-11-14',
			place: 'Kayes, salle de la mairie',
			language: 'fr',
			issue: 'L’accès à l’eau potable'
		});
		const data = JSON.stringify(await (await browser.get(`/w/${id}/__data.json`)).json());
		for (const value of ['2026-11-14', 'Kayes, salle de la mairie', 'L’accès à l’eau potable'])
			expect(data).toContain(value);
		expect(data).toContain('"fr"');

		for (const [field, value] of [
			['date', '2026-02-30'],
			['language', 'bm'],
			['place', 'x'.repeat(121)]
		]) {
			const refused = await browser.post('/?/create', { title: 'Forum', [field]: value });
			expect(refused.status, field).toBe(400);
		}
	});
});

describe('the settings page', () => {
	it('shows the code, the links from PUBLIC_URL and a QR code that decodes to exactly the invite link', async () => {
		const { browser } = await facilitator();
		const id = await createWorkshop(browser, { title: 'Forum de Ségou' });
		const settings = await settingsOf(browser, id);
		expect(settings.invite).toMatch(new RegExp(`^${PUBLIC_URL}/join/[a-z2-7]{32}$`));
		expect(settings.observer).toMatch(new RegExp(`^${PUBLIC_URL}/join/[a-z2-7]{32}$`));
		expect(decodeQrSvg(settings.qr)).toBe(settings.invite);
		// The QR code is markup from the server: no QR library in the page's scripts.
		expect(settings.html).not.toMatch(/uqr|qrcode/i);
	});

	it('rotates the code and invite link: the old ones admit nobody new, the new ones do, members stay connected', async () => {
		const { browser } = await facilitator();
		const id = await createWorkshop(browser, { title: 'Forum de Kita' });
		const before = await settingsOf(browser, id);
		const moussa = await join(before.invite, 'Moussa', 'CARE Mali');
		const socket = await yjs(moussa, id);

		expect((await browser.post(`/w/${id}/settings?/rotateParticipant`)).status).toBe(200);
		const after = await settingsOf(browser, id);
		expect(after.code).not.toBe(before.code);
		expect(after.invite).not.toBe(before.invite);
		expect(after.observer).toBe(before.observer);
		expect(decodeQrSvg(after.qr)).toBe(after.invite);

		const stranger = new Browser(app.url);
		expect((await stranger.post('/join', { code: before.code })).status).toBe(400);
		const oldLink = await stranger.post(new URL(before.invite).pathname, {
			name: 'Awa',
			organisation: 'Oxfam'
		});
		expect(oldLink.status).toBe(404);
		expect(await oldLink.text()).toContain('Ce lien n’ouvre (plus) aucun atelier.');
		const newCode = await stranger.post('/join', { code: after.code });
		expect(newCode.headers.get('location')).toBe(new URL(after.invite).pathname);

		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(socket.isOpen).toBe(true);
		expect((await moussa.get(`/w/${id}/__data.json`)).status).toBe(200);
	});

	it('revokes the participant link: its members are closed out with 4403 within 1 s and refused afterwards', async () => {
		const { browser } = await facilitator();
		const id = await createWorkshop(browser, { title: 'Forum de Nioro' });
		const { invite, observer } = await settingsOf(browser, id);
		const moussa = await join(invite, 'Moussa', 'CARE Mali');
		const awa = await join(observer, 'Awa', 'Oxfam');
		const moussaSocket = await yjs(moussa, id);
		const awaSocket = await yjs(awa, id);

		const revoked = await browser.post(`/w/${id}/settings?/revokeParticipant`);
		expect(revoked.status).toBe(200);
		expect((await closedWithin(moussaSocket, 1000)).code).toBe(4403);
		expect(await upgradeStatus(app.url, id, { cookie: moussa.jar.header })).toBe(403);
		expect(JSON.stringify(await (await moussa.get(`/w/${id}/__data.json`)).json())).toContain(
			'"status":403'
		);
		// The observer link is another way in: untouched until revoked itself.
		expect(awaSocket.isOpen).toBe(true);
		expect((await browser.post(`/w/${id}/settings?/revokeObserver`)).status).toBe(200);
		expect((await closedWithin(awaSocket, 1000)).code).toBe(4403);
	});

	it('adds a co-facilitator by login, who may then open the settings and sees the workshop at home', async () => {
		const amina = await facilitator();
		const oumar = await facilitator();
		const id = await createWorkshop(amina.browser, { title: 'Forum de Bafoulabé' });
		expect((await oumar.browser.get(`/w/${id}/settings`)).status).toBe(403);

		const unknown = await amina.browser.post(`/w/${id}/settings?/addCoFacilitator`, {
			login: 'nobody-here'
		});
		expect(unknown.status).toBe(400);
		expect(await unknown.text()).toContain('Aucun compte d’animateur avec cet identifiant.');
		const added = await amina.browser.post(`/w/${id}/settings?/addCoFacilitator`, {
			login: oumar.login.toUpperCase()
		});
		expect(added.status).toBe(200);
		expect((await oumar.browser.get(`/w/${id}/settings`)).status).toBe(200);
		expect(await (await oumar.browser.get('/')).text()).toContain('Forum de Bafoulabé');
		expect((await amina.browser.get(`/w/${id}/settings`)).status).toBe(200);
		expect(await (await amina.browser.get(`/w/${id}/settings`)).text()).toContain(oumar.login);
	});
});

describe('facilitator-only actions', () => {
	it('answer 403 to a participant and to an observer posting them directly, and change nothing', async () => {
		const { browser } = await facilitator();
		const id = await createWorkshop(browser, { title: 'Forum de Diéma' });
		const { invite, observer, code } = await settingsOf(browser, id);
		const moussa = await join(invite, 'Moussa', 'CARE Mali');
		const awa = await join(observer, 'Awa', 'Oxfam');
		const store = await storage();
		const organisation = (await store.listOrganisations(id))[0].id;
		const facilitatorId = await memberId(id, { role: 'facilitator' });

		const posts: [string, Record<string, string>][] = [
			['settings?/details', { title: 'Piraté' }],
			['settings?/rotateParticipant', {}],
			['settings?/revokeParticipant', {}],
			['settings?/rotateObserver', {}],
			['settings?/revokeObserver', {}],
			['settings?/addCoFacilitator', { login: 'anyone' }],
			['settings?/delete', { confirmation: 'Forum de Diéma' }],
			['members?/remove', { userId: facilitatorId }],
			['members?/add', { name: 'Intrus', organisation: 'Intrus' }],
			['members?/merge', { kept: organisation, merged: organisation }],
			['members?/delegate', { organisationId: organisation, userId: '' }]
		];
		for (const member of [moussa, awa]) {
			for (const page of ['settings', 'members'])
				expect((await member.get(`/w/${id}/${page}`)).status, page).toBe(403);
			for (const [action, fields] of posts) {
				const response = await member.post(`/w/${id}/${action}`, fields);
				expect(response.status, action).toBe(403);
				expect(await response.text()).toContain('Réservé à l’animation de cet atelier.');
			}
		}
		// Signed out: sent to sign in, for a page and for an action.
		const anonymous = new Browser(app.url);
		expect((await anonymous.get(`/w/${id}/settings`)).headers.get('location')).toBe('/signin');
		expect(
			(await anonymous.post(`/w/${id}/settings?/rotateParticipant`)).headers.get('location')
		).toBe('/signin');

		const after = await settingsOf(browser, id);
		expect(after.code).toBe(code);
		expect(after.observer).toBe(observer);
		expect((await store.getWorkshop(id))?.title).toBe('Forum de Diéma');
		expect(await store.listMembers(id)).toHaveLength(3);
	});
});

describe('the members page', () => {
	it('removes a participant: sockets closed with 4403, the board refused, a new join needed to come back', async () => {
		const { browser } = await facilitator();
		const id = await createWorkshop(browser, { title: 'Forum de Yélimané' });
		const { invite } = await settingsOf(browser, id);
		const moussa = await join(invite, 'Moussa', 'CARE Mali');
		const socket = await yjs(moussa, id);
		const moussaId = await memberId(id, { name: 'Moussa' });
		const page = await (await browser.get(`/w/${id}/members`)).text();
		expect(page).toContain('Retirer Moussa');

		const removed = await browser.post(`/w/${id}/members?/remove`, { userId: moussaId });
		expect(removed.status).toBe(200);
		expect((await closedWithin(socket, 1000)).code).toBe(4403);
		expect(await upgradeStatus(app.url, id, { cookie: moussa.jar.header })).toBe(403);
		// The board renders in the browser: its data is what the server refuses.
		const board = JSON.stringify(await (await moussa.get(`/w/${id}/__data.json`)).json());
		expect(board).toMatch(/"code":"not-member"},"status":403/);

		// The same device joins again with the link: a new membership.
		expect(
			(await moussa.post(new URL(invite).pathname, { name: 'Moussa', organisation: 'CARE Mali' }))
				.status
		).toBe(303);
		await yjs(moussa, id);
		// The facilitator (creator) cannot be removed here.
		const self = await memberId(id, { role: 'facilitator' });
		expect((await browser.post(`/w/${id}/members?/remove`, { userId: self })).status).toBe(400);
	});

	it('adds someone without a phone, merges duplicate organisations and designates a delegate', async () => {
		const { browser } = await facilitator();
		const id = await createWorkshop(browser, { title: 'Forum de Kéniéba' });
		const { invite } = await settingsOf(browser, id);
		await join(invite, 'Moussa', 'CARE Mali');
		await join(invite, 'Awa', 'CARE International');
		expect(
			(await browser.post(`/w/${id}/members?/add`, { name: 'Fanta', organisation: 'CARE Mali' }))
				.status
		).toBe(200);
		expect(
			(await browser.post(`/w/${id}/members?/add`, { name: '', organisation: 'CARE Mali' })).status
		).toBe(400);
		const members = await (await browser.get(`/w/${id}/members`)).text();
		expect(members).toMatch(
			/Fanta<\/strong>\s*<span class="muted[^"]*">CARE Mali · Participant · sans téléphone/
		);

		const store = await storage();
		const organisation = async (name: string) =>
			(await store.listOrganisations(id)).find((o) => o.name === name);
		const [care, duplicate] = [
			(await organisation('CARE Mali'))!.id,
			(await organisation('CARE International'))!.id
		];
		expect(
			(await browser.post(`/w/${id}/members?/merge`, { kept: care, merged: duplicate })).status
		).toBe(200);
		expect(await organisation('CARE International')).toBeUndefined();
		expect(
			(await store.listMembers(id)).filter((member) => member.organisationId === care)
		).toHaveLength(3);

		const awa = await memberId(id, { name: 'Awa' });
		expect(
			(await browser.post(`/w/${id}/members?/delegate`, { organisationId: care, userId: awa }))
				.status
		).toBe(200);
		expect((await organisation('CARE Mali'))?.delegateUserId).toBe(awa);
	});
});

describe('deleting a workshop', () => {
	it('asks for the exact title, then deletes every row keyed by it and closes its sockets with 4404', async () => {
		const { browser } = await facilitator();
		const id = await createWorkshop(browser, { title: 'Forum de Sadiola', place: 'Sadiola' });
		const { invite } = await settingsOf(browser, id);
		const moussa = await join(invite, 'Moussa', 'CARE Mali');
		const socket = await yjs(moussa, id);

		const wrong = await browser.post(`/w/${id}/settings?/delete`, {
			confirmation: 'Forum de sadiola'
		});
		expect(wrong.status).toBe(400);
		expect(await wrong.text()).toContain('Le titre tapé ne correspond pas');
		expect((await browser.get(`/w/${id}/settings`)).status).toBe(200);

		const deleted = await browser.post(`/w/${id}/settings?/delete`, {
			confirmation: ' Forum de Sadiola '
		});
		expect(deleted.status).toBe(303);
		expect(deleted.headers.get('location')).toBe('/');
		expect((await closedWithin(socket, 1000)).code).toBe(4404);
		const gone = JSON.stringify(await (await browser.get(`/w/${id}/__data.json`)).json());
		expect(gone).toMatch(/"code":"workshop-not-found"},"status":404/);
		expect((await browser.get(`/w/${id}/settings`)).status).toBe(404);

		// No cell of any table (text, blob or number) holds the workshop's id any more.
		expect(await rowsMentioning(await storage(), id)).toEqual([]);
	});
});
