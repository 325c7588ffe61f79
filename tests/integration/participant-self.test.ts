/**
 * What a person does for themselves, through the built app with raw HTTP clients: a participant
 * corrects their name and organisation or signs a device that is not theirs out; sign-up is
 * limited per address; error pages speak the reader's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { Browser } from '../fixtures/http';
import { seedMember } from '../fixtures/members';
import { openSqliteStorage } from '../../server/storage/sqlite';

let app: ChildServer;
const dataDir = tempDataDir();

beforeAll(async () => {
	await seedMember(dataDir, 'kayes');
	app = await spawnServer({
		PORT: String(await freePort()),
		DATA_DIR: dataDir,
		ADDRESS_HEADER: 'x-forwarded-for'
	});
});
afterAll(async () => {
	app.process.kill('SIGTERM');
	await app.exited;
});

async function links() {
	const storage = openSqliteStorage({ dataDir, busyTimeoutMs: 5000 });
	try {
		return (await storage.getWorkshopLinks('kayes'))!;
	} finally {
		await storage.close();
	}
}

async function membershipOf(userName: string) {
	const storage = openSqliteStorage({ dataDir, busyTimeoutMs: 5000 });
	try {
		return (await storage.listMembers('kayes')).find((member) => member.name === userName) ?? null;
	} finally {
		await storage.close();
	}
}

async function joinAsParticipant(name: string, organisation: string): Promise<Browser> {
	const browser = new Browser(app.url);
	const joined = await browser.post(`/join/${(await links()).inviteToken}`, { name, organisation });
	expect(joined.status).toBe(303);
	return browser;
}

async function access(browser: Browser): Promise<string> {
	return ((await (await browser.get('/api/session?workshop=kayes')).json()) as { access: string })
		.access;
}

describe('a participant on their own device', () => {
	it('corrects their own name and organisation, and only their own', async () => {
		const phone = await joinAsParticipant('Mousa', 'CARE');
		const page = await phone.get('/me');
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('value="Mousa"');

		const corrected = await phone.post('/me?/update', {
			workshopId: 'kayes',
			name: 'Moussa Diarra',
			organisation: 'CARE Mali'
		});
		expect(corrected.status).toBe(200);
		expect(await membershipOf('Moussa Diarra')).toMatchObject({
			organisation: 'CARE Mali',
			role: 'participant'
		});
		expect(await membershipOf('Mousa')).toBeNull();

		const empty = await phone.post('/me?/update', {
			workshopId: 'kayes',
			name: ' ',
			organisation: 'CARE Mali'
		});
		expect(empty.status).toBe(400);
		// A workshop this device is not in: nothing to correct there.
		expect(
			(await phone.post('/me?/update', { workshopId: 'elsewhere', name: 'X', organisation: 'Y' }))
				.status
		).toBe(404);
		// No role can be smuggled in.
		await phone.post('/me?/update', {
			workshopId: 'kayes',
			name: 'Moussa Diarra',
			organisation: 'CARE Mali',
			role: 'facilitator'
		});
		expect((await membershipOf('Moussa Diarra'))?.role).toBe('participant');
	});

	it('"this is not me" ends the device session and clears the cookie; the next person joins afresh', async () => {
		const phone = await joinAsParticipant('Awa', 'Oxfam');
		const stolenCookie = phone.jar.header;
		expect(await access(phone)).toBe('ok');

		const signedOut = await phone.post('/me?/notMe');
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toBe('/join');
		const cleared = signedOut.headers
			.getSetCookie()
			.find((cookie) => cookie.startsWith('session='));
		expect(cleared).toMatch(/^session=;.*Max-Age=0/i);
		expect(phone.jar.get('session')).toBeUndefined();
		expect(await access(phone)).toBe('signed-out');
		// The old cookie is dead on the server too, not only forgotten by the browser.
		const replay = new Browser(app.url);
		replay.jar.set('session', stolenCookie.replace(/^session=/, ''));
		expect(await access(replay)).toBe('signed-out');
		// Awa's membership stays: the facilitator still sees her (her input is hers).
		expect(await membershipOf('Awa')).not.toBeNull();

		const next = await phone.post(`/join/${(await links()).inviteToken}`, {
			name: 'Fanta',
			organisation: 'ONG Kayes'
		});
		expect(next.status).toBe(303);
		expect(await access(phone)).toBe('ok');
	});
});

describe('sign-up', () => {
	/** A sign-up form post from `address` (ADDRESS_HEADER). */
	function signUp(login: string, address: string): Promise<Response> {
		return fetch(`${app.url}/signup`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: app.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				'x-forwarded-for': address
			},
			body: new URLSearchParams({
				login,
				password: 'forum-de-kayes-2026',
				displayName: 'Animatrice'
			})
		});
	}

	it('is refused from an address after 20 attempts in an hour, with a clear error, while another address still signs up', async () => {
		const statuses: number[] = [];
		for (let attempt = 0; attempt < 20; attempt++) {
			// Some attempts fail (a taken login): they count all the same.
			statuses.push(
				(await signUp(attempt % 5 === 4 ? 'user-0' : `user-${attempt}`, '10.1.1.1')).status
			);
		}
		expect(statuses.filter((status) => status === 303)).toHaveLength(16);
		expect(statuses.filter((status) => status === 400)).toHaveLength(4);
		const refused = await signUp('one-more', '10.1.1.1');
		expect(refused.status).toBe(429);
		expect(await refused.text()).toMatch(
			/Trop de comptes créés depuis cette adresse\. Réessayez dans \d+ min\./
		);
		expect((await signUp('from-elsewhere', '10.1.1.2')).status).toBe(303);
	});
});

describe('error pages', () => {
	function get(path: string, language: string): Promise<Response> {
		return fetch(app.url + path, { headers: { accept: 'text/html', 'accept-language': language } });
	}

	it('say what went wrong in the reader’s language: unknown page, rotated or revoked link', async () => {
		const unknown = await get('/nowhere', 'fr-FR');
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toContain('Cette page n’existe pas.');
		const english = await get('/nowhere', 'en-GB');
		expect(await english.text()).toContain('This page does not exist.');

		const deadLink = await get('/join/abcdefghijklmnopqrstuvwxyz234567', 'en');
		expect(deadLink.status).toBe(404);
		expect(await deadLink.text()).toContain('This link does not open any workshop (any more).');
		const lienMort = await get('/join/abcdefghijklmnopqrstuvwxyz234567', 'fr');
		expect(await lienMort.text()).toContain('Ce lien n’ouvre (plus) aucun atelier.');
	});
});
