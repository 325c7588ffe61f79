/**
 * The export endpoints against the built server: any member downloads the record (CSV, Markdown,
 * JSON); contact details and ballots not yet revealed reach only a facilitator's export, never an
 * observer's; a non-member gets 403, a signed-out visitor the sign-in page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { seedMember, type SeededMember } from '../fixtures/members';
import { connectClient, waitForSaved, waitForSynced } from '../fixtures/clients';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { addAlly } from '../../src/lib/shared/schema';
import type { WorkshopFile } from '../../src/lib/server/export-json';

const room = 'export-access';
const contact = '+223 76 12 34 56, awa@care.example';
let server: ChildServer;
let facilitator: SeededMember;
let observer: SeededMember;
let stranger: SeededMember;

beforeAll(async () => {
	server = await spawnServer({ PORT: String(await freePort()), DATA_DIR: tempDataDir() });
	facilitator = await seedMember(server.dataDir, room, { role: 'facilitator' });
	observer = await seedMember(server.dataDir, room, { role: 'observer', name: 'Observateur' });
	stranger = await seedMember(server.dataDir, 'another-workshop', { role: 'facilitator' });
	const participant = await seedMember(server.dataDir, room, { role: 'participant' });
	const board = connectClient(server.url, room, { cookie: participant.cookie });
	await waitForSynced(board);
	const allyId = addAlly(board.doc, { name: 'CARE Mali', type: 'organisation' });
	await waitForSaved(board);
	board.destroy();
	const storage = openSqliteStorage({ dataDir: server.dataDir, busyTimeoutMs: 5000 });
	try {
		await storage.contacts.set({
			workshopId: room,
			allyId,
			text: contact,
			updatedBy: participant.userId,
			updatedAt: Date.now()
		});
		await storage.votes.createRound({
			id: 'round-open',
			workshopId: room,
			proposalIds: ['p1'],
			mode: 'consent',
			rule: { kind: 'consent' },
			anonymous: false,
			live: false,
			voice: 'participant',
			openedBy: facilitator.userId,
			openedAt: Date.now()
		});
		await storage.votes.castBallot({
			roundId: 'round-open',
			workshopId: room,
			voterKey: `u:${participant.userId}`,
			voterId: participant.userId,
			voterName: 'Awa la votante',
			organisationId: null,
			organisation: null,
			positions: { p1: { value: 'block', reason: 'Raison secrète' } },
			enteredBy: participant.userId,
			enteredByName: null,
			updatedAt: Date.now()
		});
	} finally {
		await storage.close();
	}
});

afterAll(async () => {
	server.process.kill('SIGTERM');
	await server.exited;
});

function get(path: string, member?: SeededMember): Promise<Response> {
	return fetch(`${server.url}${path}`, {
		redirect: 'manual',
		headers: member ? { cookie: member.cookie } : {}
	});
}

describe('exporting the record', () => {
	it('gives an observer the record without contact details or unrevealed ballots', async () => {
		const json = await get(`/w/${room}/export/workshop.json`, observer);
		expect(json.status).toBe(200);
		const text = await json.text();
		const file = JSON.parse(text) as WorkshopFile;
		expect(file.audience).toBe('member');
		expect(file.data.contacts).toEqual([]);
		expect(file.data.ballots).toEqual([]);
		expect(text).not.toContain('+223 76');
		expect(text).not.toContain('Raison secrète');
		const csv = await (await get(`/w/${room}/export/allies.csv`, observer)).text();
		expect(csv).toContain('CARE Mali');
		expect(csv).not.toContain('+223 76');
		const markdown = await get(`/w/${room}/export/record.md`, observer);
		expect(markdown.headers.get('content-type')).toContain('text/markdown');
		expect(await markdown.text()).toContain('### CARE Mali');
	});

	it("gives a facilitator's export the contacts and the ballots, and CSV cells that cannot run", async () => {
		const file = (await (
			await get(`/w/${room}/export/workshop.json`, facilitator)
		).json()) as WorkshopFile;
		expect(file.audience).toBe('facilitator');
		expect(file.data.contacts.map((entry) => entry.text)).toEqual([contact]);
		expect(file.data.ballots.map((ballot) => ballot.voterName)).toEqual(['Awa la votante']);
		const csv = await get(`/w/${room}/export/allies.csv`, facilitator);
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const bytes = Buffer.from(await csv.arrayBuffer());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = bytes.toString('utf8');
		expect(text).toContain(`"'${contact}"`);
	});

	it('refuses a non-member, sends a signed-out visitor to sign in, and knows no other file', async () => {
		expect((await get(`/w/${room}/export/workshop.json`, stranger)).status).toBe(403);
		const signedOut = await get(`/w/${room}/export/allies.csv`);
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toBe('/signin');
		expect((await get(`/w/${room}/export/secrets.csv`, facilitator)).status).toBe(404);
	});
});

describe('the import page', () => {
	it('reads files larger than adapter-node’s default body limit, and refuses what is not an export with its reason', async () => {
		const form = new FormData();
		// 1 MiB: over adapter-node's default 512 KiB, which the server raises for imports.
		form.set('file', new Blob(['x'.repeat(1024 * 1024)], { type: 'application/json' }), 'big.json');
		const response = await fetch(`${server.url}/import`, {
			method: 'POST',
			headers: {
				cookie: facilitator.cookie,
				origin: server.url,
				'x-sveltekit-action': 'true',
				accept: 'application/json'
			},
			body: form
		});
		expect(response.status).toBe(200);
		const answer = (await response.json()) as { type: string; status: number; data: string };
		expect(answer).toMatchObject({ type: 'failure', status: 400 });
		expect(answer.data).toContain('not_json');
		const observerImport = await fetch(`${server.url}/import`, {
			redirect: 'manual',
			headers: { cookie: observer.cookie }
		});
		expect(observerImport.status).toBe(303);
	});
});

describe('saving a named version of the board', () => {
	function save(member: SeededMember, name: string): Promise<Response> {
		return fetch(`${server.url}/w/${room}/history?/save`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: member.cookie,
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ name }).toString()
		});
	}

	it('is for facilitators only, with a name, and shows in every member’s timeline', async () => {
		expect((await save(observer, 'Par un observateur')).status).toBe(403);
		expect((await save(facilitator, '   ')).status).toBe(400);
		expect((await save(facilitator, 'Après le forum')).status).toBe(200);
		const timeline = await (await get(`/w/${room}/history`, observer)).text();
		expect(timeline).toContain('Version enregistrée « Après le forum »');
		expect(timeline).not.toContain('Par un observateur');
	});
});
