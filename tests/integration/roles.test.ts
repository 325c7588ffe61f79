/**
 * Roles enforced by the server, shown with raw clients that bypass the UI: who may open a board,
 * what an observer's writes become, what presence a connection may claim, and how join codes are
 * rate-limited without slowing a room that joins from one address.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
	startTestServer,
	spawnServer,
	freePort,
	tempDataDir,
	type ChildServer
} from '../fixtures/server';
import { seedMember } from '../fixtures/members';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import {
	awarenessMessage,
	expectAnswered,
	openRawClient,
	syncStep1,
	syncStep2,
	syncUpdate,
	upgradeStatus,
	type RawClient
} from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { MessageType, SyncType } from '../../src/lib/shared/protocol';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

let server: RunningServer | null = null;
let child: ChildServer | null = null;
const clients: BoardConnection[] = [];
const raws: RawClient[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	for (const raw of raws.splice(0)) raw.ws.terminate();
	await server?.close();
	server = null;
	if (child) {
		child.process.kill('SIGTERM');
		await child.exited;
		child = null;
	}
});

function member(running: RunningServer, room: string, cookie: Promise<string>): BoardConnection {
	const client = connectClient(running.url, room, { cookie });
	clients.push(client);
	return client;
}

async function raw(running: RunningServer, room: string, cookie: string): Promise<RawClient> {
	const client = await openRawClient(running.url, room, { headers: { cookie } });
	raws.push(client);
	return client;
}

/** The HTTP status of an engine.io handshake for `workshop`: long-polling, or a WebSocket upgrade. */
function socketIoStatus(
	url: string,
	workshop: string,
	transport: 'polling' | 'websocket',
	cookie?: string
): Promise<number> {
	const path = `/socket.io/?EIO=4&transport=${transport}&workshop=${workshop}`;
	const headers = cookie ? { cookie } : {};
	if (transport === 'polling') {
		return new Promise((resolve, reject) => {
			http
				.get(url + path, { headers }, (response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
				})
				.on('error', reject);
		});
	}
	return new Promise((resolve) => {
		const ws = new WebSocket(url.replace(/^http/, 'ws') + path, { headers });
		ws.on('error', () => {});
		ws.once('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			res.resume();
			ws.terminate();
		});
		ws.once('open', () => {
			resolve(101);
			ws.terminate();
		});
	});
}

/** Applies the sync step 2 and update messages a raw client received to a fresh document. */
function receivedDoc(client: RawClient): Y.Doc {
	const doc = new Y.Doc();
	for (const message of client.received) {
		const decoder = decoding.createDecoder(message);
		if (decoding.readVarUint(decoder) !== MessageType.sync) continue;
		const type = decoding.readVarUint(decoder);
		if (type === SyncType.step2 || type === SyncType.update)
			Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
	}
	return doc;
}

/** An awareness message with hand-written entries, as a forging client would send it. */
function presence(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, JSON.stringify(entry.state));
	}
	return awarenessMessage(encoding.toUint8Array(encoder));
}

type PresenceState = {
	user?: { name?: string; organisation?: string | null; role?: string; colour?: string };
	mark?: number;
};

function stateOf(client: BoardConnection, clientId: number): PresenceState | undefined {
	return client.provider.awareness.getStates().get(clientId) as PresenceState | undefined;
}

describe('who may open a board', () => {
	it('refuses the /yjs and Socket.IO handshakes of a request without a session with 401', async () => {
		server = await startTestServer();
		await seedMember(server, 'kayes');
		expect(await upgradeStatus(server.url, 'kayes')).toBe(401);
		expect(await upgradeStatus(server.url, 'kayes', { cookie: 'session=nobody.knows' })).toBe(401);
		expect(await socketIoStatus(server.url, 'kayes', 'websocket')).toBe(401);
		expect(await socketIoStatus(server.url, 'kayes', 'polling')).toBe(401);
	});

	it('reads the __Host-session cookie when the app is served over https', async () => {
		server = await startTestServer({ ORIGIN: 'https://venue.example' });
		const { token } = await seedMember(server, 'kayes');
		const origin = 'https://venue.example';
		expect(await upgradeStatus(server.url, 'kayes', { origin, cookie: `session=${token}` })).toBe(
			401
		);
		const client = await openRawClient(server.url, 'kayes', {
			headers: { origin, cookie: `__Host-session=${token}` }
		});
		raws.push(client);
		await expectAnswered(client);
	});

	it('refuses a participant of workshop A on workshop B with 403, and admits them to A', async () => {
		server = await startTestServer();
		const participant = await seedMember(server, 'workshop-a', { role: 'participant' });
		await seedMember(server, 'workshop-b');
		expect(await upgradeStatus(server.url, 'workshop-b', { cookie: participant.cookie })).toBe(403);
		expect(await socketIoStatus(server.url, 'workshop-b', 'websocket', participant.cookie)).toBe(
			403
		);
		expect(await socketIoStatus(server.url, 'workshop-b', 'polling', participant.cookie)).toBe(403);
		const allowed = await raw(server, 'workshop-a', participant.cookie);
		await expectAnswered(allowed);
		expect(await socketIoStatus(server.url, 'workshop-a', 'websocket', participant.cookie)).toBe(
			101
		);
	});
});

describe('an observer', () => {
	it('has its forged update reach neither storage nor other clients, while its socket stays open and keeps receiving', async () => {
		server = await startTestServer();
		const facilitator = member(
			server,
			'observed',
			seedMember(server, 'observed').then((m) => m.cookie)
		);
		await waitForSynced(facilitator);
		const observer = await seedMember(server, 'observed', { role: 'observer' });
		const socket = await raw(server, 'observed', observer.cookie);
		socket.ws.send(syncStep1());

		const forger = new Y.Doc();
		forger.getArray('forged').push(['an observer wrote this']);
		addAlly(forger, { name: 'Forged ally', type: 'group' });
		const forged = Y.encodeStateAsUpdate(forger);
		socket.ws.send(syncUpdate(forged));
		socket.ws.send(syncStep2(forged));
		// Messages of one socket are handled in order: once step 1 is answered, both were handled.
		await expectAnswered(socket);

		addAlly(facilitator.doc, { name: 'Mairie de Kayes', type: 'institution' });
		await waitForSaved(facilitator);
		await waitFor(
			() => readAllies(receivedDoc(socket)).some((ally) => ally.name === 'Mairie de Kayes'),
			{
				what: "the facilitator's ally on the observer's socket"
			}
		);
		expect(socket.isOpen).toBe(true);

		expect(facilitator.doc.getArray('forged').length).toBe(0);
		expect(readAllies(facilitator.doc).map((ally) => ally.name)).toEqual(['Mairie de Kayes']);
		const stored = new Y.Doc();
		const { snapshot, updates } = await server.services.storage.loadDocument('observed');
		if (snapshot) Y.applyUpdate(stored, snapshot);
		for (const row of updates) Y.applyUpdate(stored, row.data);
		expect(stored.getArray('forged').length).toBe(0);
		expect(readAllies(stored).map((ally) => ally.name)).toEqual(['Mairie de Kayes']);
	});
});

describe('presence (awareness) claims', () => {
	it("overwrites a forged name, organisation and role with the member's own", async () => {
		server = await startTestServer();
		const watcher = member(
			server,
			'presence',
			seedMember(server, 'presence').then((m) => m.cookie)
		);
		await waitForSynced(watcher);
		const participant = await seedMember(server, 'presence', {
			role: 'participant',
			name: 'Moussa',
			organisation: 'CARE Mali'
		});
		const socket = await raw(server, 'presence', participant.cookie);
		socket.ws.send(
			presence([
				{
					clientId: 4242,
					clock: 1,
					state: {
						user: { name: 'Le Ministre', organisation: 'Gouvernement', role: 'facilitator' },
						mark: 1
					}
				}
			])
		);
		await waitFor(() => stateOf(watcher, 4242)?.mark === 1, {
			what: 'the participant presence on the watcher'
		});
		expect(stateOf(watcher, 4242)?.user).toEqual({
			name: 'Moussa',
			organisation: 'CARE Mali',
			role: 'participant',
			colour: expect.stringMatching(/^#[0-9a-f]{6}$/)
		});
	});

	it('ignores entries for another client id and refuses removals of other clients, keeping the socket open', async () => {
		server = await startTestServer();
		const amina = member(
			server,
			'crowd',
			seedMember(server, 'crowd', { name: 'Amina' }).then((m) => m.cookie)
		);
		const watcher = member(
			server,
			'crowd',
			seedMember(server, 'crowd', { name: 'Fatou' }).then((m) => m.cookie)
		);
		await Promise.all([waitForSynced(amina), waitForSynced(watcher)]);
		amina.provider.awareness.setLocalStateField('mark', 1);
		const aminaId = amina.doc.clientID;
		await waitFor(() => stateOf(watcher, aminaId)?.mark === 1, {
			what: "Amina's presence on the watcher"
		});

		const forger = await seedMember(server, 'crowd', { role: 'participant', name: 'Moussa' });
		const socket = await raw(server, 'crowd', forger.cookie);
		// Its own id first, then an entry claiming to be Amina, then Amina "leaving".
		socket.ws.send(presence([{ clientId: 777, clock: 1, state: { mark: 1 } }]));
		socket.ws.send(
			presence([
				{ clientId: aminaId, clock: 1000, state: { user: { name: 'Impostor' }, mark: 99 } }
			])
		);
		socket.ws.send(presence([{ clientId: aminaId, clock: 1001, state: null }]));
		// A later change of its own, seen by the watcher: everything before it was handled.
		socket.ws.send(presence([{ clientId: 777, clock: 2, state: { mark: 2 } }]));
		await waitFor(() => stateOf(watcher, 777)?.mark === 2, {
			what: "the forger's own later presence"
		});

		expect(stateOf(watcher, aminaId)).toMatchObject({ user: { name: 'Amina' }, mark: 1 });
		expect(socket.isOpen).toBe(true);
		expect(watcher.provider.wsconnected && amina.provider.wsconnected).toBe(true);
	});
});

describe('presence after reconnecting', () => {
	it("lets a member's new connection take over its client id from a stale one, and nobody else", async () => {
		server = await startTestServer();
		const watcher = member(
			server,
			'reconnect',
			seedMember(server, 'reconnect').then((m) => m.cookie)
		);
		await waitForSynced(watcher);
		const moussa = await seedMember(server, 'reconnect', { role: 'participant', name: 'Moussa' });
		const stale = await raw(server, 'reconnect', moussa.cookie);
		stale.ws.send(presence([{ clientId: 500, clock: 1, state: { mark: 1 } }]));
		await waitFor(() => stateOf(watcher, 500)?.mark === 1, { what: 'the first presence' });

		const intruder = await seedMember(server, 'reconnect', { role: 'participant', name: 'Intrus' });
		const other = await raw(server, 'reconnect', intruder.cookie);
		other.ws.send(presence([{ clientId: 500, clock: 5, state: { mark: 5 } }]));
		other.ws.send(presence([{ clientId: 600, clock: 1, state: { mark: 1 } }]));
		await waitFor(() => stateOf(watcher, 600)?.mark === 1, {
			what: "the other member's own presence"
		});
		expect(stateOf(watcher, 500)).toMatchObject({ user: { name: 'Moussa' }, mark: 1 });

		const fresh = await raw(server, 'reconnect', moussa.cookie);
		fresh.ws.send(presence([{ clientId: 500, clock: 2, state: { mark: 2 } }]));
		await waitFor(() => stateOf(watcher, 500)?.mark === 2, { what: 'the reconnected presence' });
		// The old socket finally goes; the new one keeps speaking for the id.
		stale.ws.terminate();
		await stale.closed;
		fresh.ws.send(presence([{ clientId: 500, clock: 3, state: { mark: 3 } }]));
		await waitFor(() => stateOf(watcher, 500)?.mark === 3, {
			what: 'the presence kept by the new socket'
		});
		expect(stateOf(watcher, 500)).toMatchObject({ user: { name: 'Moussa' } });
	});
});

describe('join codes', () => {
	/** A form post as a browser sends it, from the client address `address` (ADDRESS_HEADER). */
	async function post(
		path: string,
		fields: Record<string, string>,
		address: string,
		cookie = ''
	): Promise<Response> {
		return fetch(child!.url + path, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: child!.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				'x-forwarded-for': address,
				cookie
			},
			body: new URLSearchParams(fields)
		});
	}

	it('lets 60 people join from one address within 2 minutes while the phone that mistypes is slowed down', async () => {
		const dataDir = tempDataDir();
		const facilitator = await seedMember(dataDir, 'venue');
		const storage = (await import('../../server/storage/sqlite')).openSqliteStorage({
			dataDir,
			busyTimeoutMs: 5000
		});
		const links = (await storage.getWorkshopLinks('venue'))!;
		await storage.close();
		child = await spawnServer({
			PORT: String(await freePort()),
			DATA_DIR: dataDir,
			ADDRESS_HEADER: 'x-forwarded-for'
		});

		const started = Date.now();
		let wrongFromElsewhere = 0;
		const wrongStatuses: number[] = [];
		for (let person = 1; person <= 60; person++) {
			const code = await post('/join', { code: links.joinCode.toLowerCase() }, '10.0.0.1');
			expect(code.status, `person ${person}'s code`).toBe(303);
			expect(code.headers.get('location')).toBe(`/join/${links.inviteToken}`);
			const joined = await post(
				code.headers.get('location')!,
				{ name: `Person ${person}`, organisation: 'Radio rurale' },
				'10.0.0.1'
			);
			expect(joined.status, `person ${person}'s join`).toBe(303);
			expect(joined.headers.get('location')).toBe('/w/venue');
			expect(joined.headers.getSetCookie().some((cookie) => cookie.startsWith('session='))).toBe(
				true
			);
			// Meanwhile someone elsewhere guesses codes.
			if (person % 4 === 0 && wrongFromElsewhere < 15) {
				wrongFromElsewhere += 1;
				wrongStatuses.push((await post('/join', { code: 'ZZZZZZ' }, '10.0.0.2')).status);
			}
		}
		expect(Date.now() - started).toBeLessThan(120_000);
		// A guesser elsewhere is answered "wrong code" (the address's limit is 60 an hour).
		expect(wrongStatuses).toEqual(Array(15).fill(400));

		// A phone in the room that mistypes is slowed after five tries; its neighbours are not.
		const first = await post('/join', { code: 'ZZZZZZ' }, '10.0.0.1');
		const device = first.headers
			.getSetCookie()
			.find((cookie) => cookie.startsWith('join_device='))!
			.split(';')[0];
		const clumsy = [first.status];
		for (let i = 0; i < 5; i++)
			clumsy.push((await post('/join', { code: 'ZZZZZZ' }, '10.0.0.1', device)).status);
		expect(clumsy).toEqual(Array(6).fill(400));
		const slowed = await post('/join', { code: links.joinCode }, '10.0.0.1', device);
		expect(slowed.status).toBe(429);
		expect(await slowed.text()).toContain('Trop de codes erronés');
		expect((await post('/join', { code: links.joinCode }, '10.0.0.1')).status).toBe(303);

		// The valid joins counted for nothing: the crowded address may still mistype.
		expect((await post('/join', { code: 'ZZZZZZ' }, '10.0.0.1')).status).toBe(400);
		const organisations = await (async () => {
			const again = (await import('../../server/storage/sqlite')).openSqliteStorage({
				dataDir,
				busyTimeoutMs: 5000
			});
			try {
				return await again.listOrganisations('venue');
			} finally {
				await again.close();
			}
		})();
		expect(organisations.map((organisation) => organisation.name)).toEqual(['Radio rurale']);
		expect(facilitator.role).toBe('facilitator');
	});

	it('guards the board data and /api/session by membership, and an observer link makes an observer who may open the socket', async () => {
		const dataDir = tempDataDir();
		await seedMember(dataDir, 'venue');
		const outsider = await seedMember(dataDir, 'elsewhere', { role: 'participant' });
		const storage = (await import('../../server/storage/sqlite')).openSqliteStorage({
			dataDir,
			busyTimeoutMs: 5000
		});
		const links = (await storage.getWorkshopLinks('venue'))!;
		await storage.close();
		child = await spawnServer({ PORT: String(await freePort()), DATA_DIR: dataDir });
		const get = (path: string, cookie = '') =>
			fetch(child!.url + path, { redirect: 'manual', headers: { cookie, accept: 'text/html' } });
		const access = async (cookie = '') =>
			((await (await get('/api/session?workshop=venue', cookie)).json()) as { access: string })
				.access;

		// The board renders in the browser only: its data is what the server guards.
		const data = async (cookie = '') =>
			JSON.stringify(await (await get('/w/venue/__data.json', cookie)).json());
		expect(await data()).toMatch(/"type":"redirect","location":"\/signin"/);
		// Never a member: told how to join, not that an access "ended".
		expect(await data(outsider.cookie)).toMatch(
			/"message":"Vous n’êtes pas membre de cet atelier \(ou plus\)\. Pour le rejoindre, demandez son code à l’animateur\.","code":"not-member"},"status":403/
		);
		expect(await access()).toBe('signed-out');
		expect(await access(outsider.cookie)).toBe('forbidden');

		const joined = await post(
			`/join/${links.observerToken}`,
			{ name: 'Awa', organisation: 'Oxfam' },
			'10.0.0.3'
		);
		expect(joined.headers.get('location')).toBe('/w/venue');
		const cookie = joined.headers.getSetCookie()[0].split(';')[0];
		expect(await access(cookie)).toBe('ok');
		expect(await data(cookie)).toMatch(/"Awa","Oxfam","observer"/);
		const observer = new WebSocket(child.url.replace(/^http/, 'ws') + '/yjs/venue', {
			headers: { cookie }
		});
		await new Promise((resolve, reject) => observer.once('open', resolve).once('error', reject));
		observer.terminate();
	});
});
