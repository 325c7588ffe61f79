/**
 * Deleting a workshop, on both engines: every row keyed by it goes (checked against every table the
 * database lists, so a table added later is covered), its sockets close with 4404 and its live
 * document unloads, while another workshop keeps everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startTestServer } from '../fixtures/server';
import { seedMember } from '../fixtures/members';
import { engineEnv, ENGINES } from '../fixtures/storages';
import { danglingReferences, rowsMentioning, runSql } from '../fixtures/storage-rows';
import { connectClient, waitForSaved, waitForSynced } from '../fixtures/clients';
import {
	closedWithin,
	expectAnswered,
	openRawClient,
	upgradeStatus,
	type RawClient
} from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import type { StorageKind } from '../../src/lib/server/ports/storage';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/events';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { addAlly } from '../../src/lib/shared/schema';
import { newId } from '../../src/lib/shared/ids';
import { createWorkshop, deleteWorkshop } from '../../src/lib/server/workshops';
import { addMemberWithoutDevice } from '../../src/lib/server/members';
import { setDelegate } from '../../src/lib/server/organisations';
import { joinWorkshop } from '../../src/lib/server/joining';

let server: RunningServer | null = null;
const raws: RawClient[] = [];
const clients: BoardConnection[] = [];
const sockets: Socket[] = [];

const drops: (() => Promise<void>)[] = [];

afterEach(async () => {
	for (const raw of raws.splice(0)) raw.ws.terminate();
	for (const client of clients.splice(0)) client.destroy();
	for (const socket of sockets.splice(0)) socket.disconnect();
	await server?.close();
	server = null;
	for (const drop of drops.splice(0)) await drop();
});

/** The test server on `engine`, with `env` (what it made is dropped after the test). */
async function startOn(engine: StorageKind, env: Record<string, string> = {}) {
	const storage = engineEnv(engine);
	drops.push(storage.drop);
	return startTestServer({ ...env, ...storage.env });
}

describe.each(ENGINES)('deleting a workshop (%s)', (engine) => {
	it('leaves no row with its id in any table, closes its sockets with 4404 and unloads its document', async () => {
		// Compact after a few rows, so the workshop has a snapshot as well as a log.
		server = await startOn(engine, { COMPACT_ROWS: '3' });
		const storage = server.services.storage;
		// A table another feature adds later (votes, events…), keyed by the workshop.
		await runSql(storage, 'CREATE TABLE later_feature (workshop_id TEXT NOT NULL, payload TEXT)');

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
		await runSql(
			storage,
			'INSERT INTO later_feature (workshop_id, payload) VALUES (?, ?), (?, ?)',
			[doomed.id, 'x', kept.id, 'y']
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
		// Compactions settled too (they run after the commit): the kept rows must not move on their own.
		await server.services.registry.flush();
		const keptBefore = await rowsMentioning(storage, kept.id);
		expect((await rowsMentioning(storage, doomed.id)).join('\n')).toMatch(
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
		expect(await rowsMentioning(storage, doomed.id)).toEqual([]);
		expect(await rowsMentioning(storage, kept.id)).toEqual(keptBefore);
		// The member without a device is gone with it; the participant's device (a session) stays.
		expect(await server.services.storage.getUser(offline.userId)).toBeNull();
		expect(await server.services.storage.getUser(participant.membership.userId)).not.toBeNull();
		expect(await upgradeStatus(server.url, doomed.id, { cookie })).toBe(403);
		expect(await danglingReferences(storage)).toEqual([]);
	});

	it('also deletes an edit applied but not yet committed as the workshop went', async () => {
		server = await startOn(engine);
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
		expect(await rowsMentioning(server.services.storage, workshop.id)).toEqual([]);
	});
});
