/**
 * An archived workshop: every client's document writes are dropped (participants' and the
 * facilitator's alike) while server commands keep working; after unarchiving, a write that was
 * dropped still arrives, and the same client's later edits (which depend on it) apply.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { seedMember, type MemberOptions } from '../fixtures/members';
import { connectClient, sleep, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { expectAnswered, openRawClient, syncUpdate, type RawClient } from '../fixtures/raw-socket';
import { seedAgreedObjective } from '../fixtures/consensus';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { connectCommands, type CommandClient } from '../../src/lib/realtime/commands';
import { addAlly, readAllies } from '../../src/lib/shared/schema';
import { readCharter } from '../../src/lib/shared/charter';

let server: RunningServer;
const boards: BoardConnection[] = [];
const commandClients: CommandClient[] = [];
const raws: RawClient[] = [];

beforeAll(async () => {
	server = await startTestServer();
});
afterEach(() => {
	for (const board of boards.splice(0)) board.destroy();
	for (const client of commandClients.splice(0)) client.destroy();
	for (const raw of raws.splice(0)) raw.ws.terminate();
});
afterAll(() => server.close());

async function member(room: string, options: MemberOptions = {}) {
	const seeded = await seedMember(server, room, options);
	const commands = connectCommands({
		origin: server.url,
		workshopId: room,
		extraHeaders: { cookie: seeded.cookie }
	});
	commandClients.push(commands);
	const board = connectClient(server.url, room, { cookie: seeded.cookie });
	boards.push(board);
	await waitForSynced(board);
	return { ...seeded, commands, board };
}

async function serverAllies(room: string): Promise<string[]> {
	const live = await server.services.registry.open(room);
	return readAllies(live.doc).map((ally) => ally.name);
}

async function storedAllies(room: string): Promise<string[]> {
	await server.services.registry.flush();
	const doc = new Y.Doc();
	const { snapshot, updates } = await server.services.storage.loadDocument(room);
	if (snapshot) Y.applyUpdate(doc, snapshot);
	for (const row of updates) Y.applyUpdate(doc, row.data);
	return readAllies(doc).map((ally) => ally.name);
}

describe('an archived workshop', () => {
	it("drops a participant's raw update and the facilitator's own edits, while commands keep working", async () => {
		const room = 'archived-drops';
		await seedAgreedObjective(server, room);
		const facilitator = await member(room, { name: 'Oumar' });
		addAlly(facilitator.board.doc, { name: 'Avant l’archivage', type: 'group' });
		await waitForSaved(facilitator.board);
		expect(
			await facilitator.commands.send('workshop:archive', { reason: 'Fin du forum' })
		).toMatchObject({ ok: true });

		const participant = await seedMember(server, room, { role: 'participant' });
		const raw = await openRawClient(server.url, room, { headers: { cookie: participant.cookie } });
		raws.push(raw);
		const forged = new Y.Doc();
		addAlly(forged, { name: 'Écrit par un client modifié', type: 'group' });
		raw.ws.send(syncUpdate(Y.encodeStateAsUpdate(forged)));
		// Messages of one socket are handled in order: once this is answered, the update was handled.
		await expectAnswered(raw);
		expect(raw.isOpen).toBe(true);

		addAlly(facilitator.board.doc, { name: 'Écrit par l’animateur', type: 'group' });
		await waitForSaved(facilitator.board);

		// Commands still work: the countdown, the step, even the lock.
		expect(
			await facilitator.commands.send('facilitation:countdown', { durationMs: 120_000 })
		).toMatchObject({ ok: true });
		expect(await facilitator.commands.send('facilitation:step', { step: 'tasks' })).toMatchObject({
			ok: true
		});
		expect(await facilitator.commands.send('charter:lock', {})).toEqual({
			ok: true,
			value: { version: 1 }
		});
		const live = await server.services.registry.open(room);
		expect(live.doc.getMap('facilitation').get('step')).toBe('tasks');
		expect(readCharter(live.doc)?.status).toBe('locked');

		expect(await serverAllies(room)).toEqual(['Avant l’archivage']);
		expect(await storedAllies(room)).toEqual(['Avant l’archivage']);
	});

	it('lets a write dropped while archived arrive after unarchiving, with the same client’s later edits', async () => {
		const room = 'archived-resync';
		const facilitator = await member(room, { name: 'Oumar' });
		const writer = await member(room, { role: 'participant' });
		const bystander = await member(room, { role: 'participant' });
		expect(await facilitator.commands.send('workshop:archive', {})).toMatchObject({ ok: true });
		await waitFor(() => writer.board.doc.getMap('meta').get('archived') === true, {
			what: 'the archive on the writer'
		});

		// Typed as the archive landed: the server drops it, the writer's document keeps it.
		addAlly(writer.board.doc, { name: 'Tapé pendant l’archivage', type: 'group' });
		await waitForSaved(writer.board);
		await sleep(50);
		expect(await serverAllies(room)).toEqual([]);
		expect(readAllies(bystander.board.doc)).toEqual([]);

		expect(await facilitator.commands.send('workshop:unarchive', {})).toMatchObject({ ok: true });
		addAlly(writer.board.doc, { name: 'Après la réouverture', type: 'group' });
		const expected = ['Tapé pendant l’archivage', 'Après la réouverture'];
		await waitFor(() => readAllies(bystander.board.doc).length === 2, {
			what: 'both edits on the bystander'
		});
		expect(
			readAllies(bystander.board.doc)
				.map((ally) => ally.name)
				.sort()
		).toEqual([...expected].sort());
		expect((await serverAllies(room)).sort()).toEqual([...expected].sort());
	});
});
