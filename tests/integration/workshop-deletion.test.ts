/**
 * Deleting a workshop: every row keyed by it goes (checked against every table SQLite lists, so
 * a table added later is covered), its sockets close with 4404 and its live document unloads,
 * while another workshop keeps everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type Database from 'better-sqlite3';
import { startTestServer } from '../fixtures/server';
import { seedMember } from '../fixtures/members';
import { connectClient, waitForSaved, waitForSynced } from '../fixtures/clients';
import {
	closedWithin,
	expectAnswered,
	openRawClient,
	upgradeStatus,
	type RawClient
} from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import type { SqliteStorage } from '../../server/storage/sqlite';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/events';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { addAlly } from '../../src/lib/shared/schema';
import { newId } from '../../src/lib/shared/ids';
import { createWorkshop, deleteWorkshop } from '../../src/lib/server/workshops';
import { addMemberWithoutDevice } from '../../src/lib/server/members';
import { setDelegate } from '../../src/lib/server/organisations';
import { joinWorkshop } from '../../src/lib/server/memberships';

let server: RunningServer | null = null;
const raws: RawClient[] = [];
const clients: BoardConnection[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
	for (const raw of raws.splice(0)) raw.ws.terminate();
	for (const client of clients.splice(0)) client.destroy();
	for (const socket of sockets.splice(0)) socket.disconnect();
	await server?.close();
	server = null;
});

/** Every (table, column) holding `value` (text or blob, anywhere in it), with its row count. */
function rowsMentioning(db: Database.Database, value: string): string[] {
	const found: string[] = [];
	const tables = db
		.prepare<[], { name: string }>(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
		)
		.all();
	expect(tables.length).toBeGreaterThan(5);
	for (const { name } of tables) {
		for (const column of db.prepare<[], { name: string }>(`PRAGMA table_info("${name}")`).all()) {
			const { n } = db
				.prepare<[string], { n: number }>(
					`SELECT count(*) AS n FROM "${name}" WHERE instr(CAST("${column.name}" AS BLOB), CAST(? AS BLOB)) > 0`
				)
				.get(value)!;
			if (n > 0) found.push(`${name}.${column.name}: ${n}`);
		}
	}
	return found;
}

describe('deleting a workshop', () => {
	it('leaves no row with its id in any table, closes its sockets with 4404 and unloads its document', async () => {
		// Compact after a few rows, so the workshop has a snapshot as well as a log.
		server = await startTestServer({ COMPACT_ROWS: '3' });
		const db = (server.services.storage as SqliteStorage).db;
		// A table another feature adds later (votes, events…), keyed by the workshop.
		db.exec(
			'CREATE TABLE later_feature (id INTEGER PRIMARY KEY, workshop_id TEXT NOT NULL, payload TEXT)'
		);

		const owner = await seedMember(server, 'placeholder');
		const doomed = await createWorkshop(server.services, {
			title: 'Forum à supprimer',
			ownerId: owner.userId,
			ownerName: 'Amina',
			place: 'Kayes',
			issue: 'Accès à l’eau'
		});
		const kept = await createWorkshop(server.services, {
			title: 'Forum gardé',
			ownerId: owner.userId,
			ownerName: 'Amina'
		});
		const participant = await joinWorkshop(server.services, {
			workshopId: doomed.id,
			role: 'participant',
			grantedBy: 'invite-link',
			userId: null,
			name: 'Moussa',
			organisation: 'CARE Mali'
		});
		const organisation = participant.membership.organisationId!;
		await setDelegate(server.services, doomed.id, organisation, participant.membership.userId);
		const offline = await addMemberWithoutDevice(server.services, doomed.id, {
			name: 'Fanta',
			organisation: 'ONG Kayes'
		});
		await joinWorkshop(server.services, {
			workshopId: kept.id,
			role: 'participant',
			grantedBy: 'invite-link',
			userId: null,
			name: 'Awa',
			organisation: 'Oxfam'
		});
		db.prepare('INSERT INTO later_feature (workshop_id, payload) VALUES (?, ?), (?, ?)').run(
			doomed.id,
			'x',
			kept.id,
			'y'
		);

		// Edits in both boards, through real providers: log rows and a snapshot.
		const cookie = `session=${participant.token}`;
		for (const workshop of [doomed, kept]) {
			const client = connectClient(server.url, workshop.id, {
				cookie:
					workshop === doomed
						? cookie
						: (await seedMember(server, kept.id, { userId: owner.userId })).cookie
			});
			clients.push(client);
			await waitForSynced(client);
			for (let i = 0; i < 5; i++)
				addAlly(client.doc, { name: `Allié ${i}`, type: 'organisation' }, Date.now());
			await waitForSaved(client);
		}
		const keptBefore = rowsMentioning(db, kept.id);
		expect(rowsMentioning(db, doomed.id).join('\n')).toMatch(
			/doc_snapshots\.doc[\s\S]*later_feature\.workshop_id/
		);

		const raw = await openRawClient(server.url, doomed.id, { headers: { cookie } });
		raws.push(raw);
		await expectAnswered(raw);
		const socket = io(server.url, {
			transports: ['websocket'],
			query: { workshop: doomed.id },
			extraHeaders: { cookie },
			reconnection: false
		}) as Socket<ServerToClientEvents, ClientToServerEvents>;
		sockets.push(socket);
		const ended: number[] = [];
		socket.on('access:ended', ({ code }) => ended.push(code));
		await new Promise<void>((resolve, reject) =>
			socket.once('connect', resolve).once('connect_error', reject)
		);
		const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
		expect(server.services.registry.has(doomed.id)).toBe(true);

		await deleteWorkshop(server.services, doomed.id);

		expect((await closedWithin(raw, 1000)).code).toBe(CloseCode.gone);
		expect(await disconnected).toBe('io server disconnect');
		expect(ended).toEqual([CloseCode.gone]);
		expect(server.services.registry.has(doomed.id)).toBe(false);
		expect(rowsMentioning(db, doomed.id)).toEqual([]);
		expect(rowsMentioning(db, kept.id)).toEqual(keptBefore);
		// The member without a device is gone with it; the participant's device (a session) stays.
		expect(await server.services.storage.getUser(offline.userId)).toBeNull();
		expect(await server.services.storage.getUser(participant.membership.userId)).not.toBeNull();
		expect(await upgradeStatus(server.url, doomed.id, { cookie })).toBe(403);
		expect(db.pragma('foreign_key_check')).toEqual([]);
	});

	it('also deletes an edit applied but not yet committed as the workshop went', async () => {
		server = await startTestServer();
		const db = (server.services.storage as SqliteStorage).db;
		const owner = await seedMember(server, newId());
		const workshop = await createWorkshop(server.services, {
			title: 'Forum',
			ownerId: owner.userId,
			ownerName: 'Amina'
		});
		// Applied in the next microtask, committed on the next tick: in flight as the deletion starts.
		const inFlight = server.services.registry.changeDocument(workshop.id, (doc) => {
			addAlly(doc, { name: 'Dernier allié', type: 'group' }, Date.now());
		});
		await deleteWorkshop(server.services, workshop.id);
		await inFlight;
		await server.services.registry.flush();
		expect(rowsMentioning(db, workshop.id)).toEqual([]);
	});
});
