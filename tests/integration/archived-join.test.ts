/** An archived workshop admits no new participant, by code or invite link; observers still come in. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { seedMember } from '../fixtures/members';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { WorkshopLinks } from '../../src/lib/server/ports/storage';
import { connectCommands } from '../../src/lib/realtime/commands';

let app: ChildServer;
let links: WorkshopLinks;
let cookie: string;

beforeAll(async () => {
	const dataDir = tempDataDir();
	cookie = (await seedMember(dataDir, 'archived-forum')).cookie;
	const storage = openSqliteStorage({ dataDir, busyTimeoutMs: 5000 });
	links = (await storage.getWorkshopLinks('archived-forum'))!;
	await storage.close();
	app = await spawnServer({ PORT: String(await freePort()), DATA_DIR: dataDir });
});
afterAll(() => {
	app.process.kill();
});

function post(path: string, fields: Record<string, string>): Promise<Response> {
	return fetch(app.url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: app.url,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams(fields)
	});
}

async function setArchived(archived: boolean): Promise<void> {
	const client = connectCommands({
		origin: app.url,
		workshopId: 'archived-forum',
		extraHeaders: { cookie }
	});
	try {
		await new Promise((resolve) => client.socket.once('connect', () => resolve(null)));
		const result = await client.send(archived ? 'workshop:archive' : 'workshop:unarchive', {});
		expect(result.ok).toBe(true);
	} finally {
		client.destroy();
	}
}

describe('joining an archived workshop', () => {
	it('refuses the code and the invite link once archived, keeps the observer link, and reopens on unarchive', async () => {
		expect((await post('/join', { code: links.joinCode })).status).toBe(303);
		await setArchived(true);

		const byCode = await post('/join', { code: links.joinCode });
		expect(byCode.status).toBe(410);
		expect(await byCode.text()).toContain('archivé');
		const invite = await fetch(`${app.url}/join/${links.inviteToken}`, {
			headers: { accept: 'text/html' }
		});
		expect(invite.status).toBe(410);
		const joined = await post(`/join/${links.inviteToken}`, {
			name: 'Tard',
			organisation: 'CARE Mali'
		});
		expect(joined.status).toBe(410);
		expect(joined.headers.getSetCookie()).toEqual([]);

		const observer = await post(`/join/${links.observerToken}`, {
			name: 'Awa',
			organisation: 'Oxfam'
		});
		expect(observer.status).toBe(303);

		await setArchived(false);
		expect((await post('/join', { code: links.joinCode })).status).toBe(303);
	});
});
