/**
 * The lock, against modified clients using the real WebsocketProvider: a participant's client that
 * writes into, deletes from and replaces keys of the locked charter changes nothing on the server,
 * on disk or on any other client (not even for an instant), gets the true charter back within 1 s,
 * and its honest edits — later ones, or ones batched offline with the forgery — still reach everyone.
 * The charter survives a restart unchanged.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, tempDataDir } from '../fixtures/server';
import { seedMember } from '../fixtures/members';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { addTaskTo, seedAgreedObjective } from '../fixtures/consensus';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { connectCommands, type CommandClient } from '../../src/lib/realtime/commands';
import { addAlly, readAllies } from '../../src/lib/shared/schema';
import { readCharter } from '../../src/lib/shared/charter';

const dataDir = tempDataDir();
let server: RunningServer;
const boards: BoardConnection[] = [];
const commandClients: CommandClient[] = [];

beforeAll(async () => {
	server = await startTestServer({ DATA_DIR: dataDir });
});
afterEach(() => {
	for (const board of boards.splice(0)) board.destroy();
	for (const client of commandClients.splice(0)) client.destroy();
});
afterAll(() => server.close());

async function participant(room: string): Promise<BoardConnection> {
	const { cookie } = await seedMember(server, room, { role: 'participant' });
	const board = connectClient(server.url, room, { cookie });
	boards.push(board);
	await waitForSynced(board);
	return board;
}

/** Seeds an agreed objective and a task, and locks the charter as a facilitator would. */
async function lockedRoom(room: string): Promise<string> {
	await seedAgreedObjective(server, room);
	const { cookie } = await seedMember(server, room, { name: 'Oumar Diarra' });
	const commands = connectCommands({
		origin: server.url,
		workshopId: room,
		extraHeaders: { cookie }
	});
	commandClients.push(commands);
	const author = await participant(room);
	const ally = addAlly(author.doc, { name: 'CARE Mali', type: 'organisation' });
	addTaskTo(author.doc, { title: 'Rencontrer le préfet', roles: { [ally]: 'lead' } });
	await waitForSaved(author);
	expect(await commands.send('charter:lock', {})).toEqual({ ok: true, value: { version: 1 } });
	const live = await server.services.registry.open(room);
	const charter = live.doc.getMap('charter').toJSON();
	expect(charter).toMatchObject({ version: 1, status: 'locked', lockedBy: 'Oumar Diarra' });
	expect(charter.tasks).toEqual([expect.objectContaining({ title: 'Rencontrer le préfet' })]);
	return JSON.stringify(charter);
}

/** The charter as JSON after every document update a client applied: any forged instant shows. */
function recordCharters(board: BoardConnection): string[] {
	const seen: string[] = [];
	board.doc.on('update', () => seen.push(JSON.stringify(board.doc.getMap('charter').toJSON())));
	return seen;
}

async function storedCharter(room: string): Promise<string> {
	const doc = new Y.Doc();
	const { snapshot, updates } = await server.services.storage.loadDocument(room);
	if (snapshot) Y.applyUpdate(doc, snapshot);
	for (const row of updates) Y.applyUpdate(doc, row.data);
	return JSON.stringify(doc.getMap('charter').toJSON());
}

function forge(doc: Y.Doc): void {
	const charter = doc.getMap('charter');
	charter.set('status', 'unlocked');
	charter.set('version', 99);
	charter.set('proposal', { id: 'forged', wording: 'Une autre formulation', rationale: '' });
	charter.delete('endorsedBy');
	charter.delete('lockedBy');
	charter.set('forgedKey', true);
	charter.set('tasks', new Y.Map());
}

describe('the locked charter against a modified client', () => {
	it('is unchanged on the server, on disk and on a bystander, the forger is corrected within 1 s, and its later edits still sync', async () => {
		const room = 'charter-forged';
		const expected = await lockedRoom(room);
		const forger = await participant(room);
		const bystander = await participant(room);
		await waitFor(() => JSON.stringify(bystander.doc.getMap('charter').toJSON()) === expected, {
			what: 'the charter'
		});
		const seen = recordCharters(bystander);

		const forgedAt = Date.now();
		forger.doc.transact(() => forge(forger.doc));
		expect(readCharter(forger.doc)?.version).toBe(99);
		await waitFor(() => JSON.stringify(forger.doc.getMap('charter').toJSON()) === expected, {
			timeout: 1000,
			what: 'the forger to show the true charter again'
		});
		const correctedIn = Date.now() - forgedAt;
		expect(correctedIn).toBeLessThan(1000);

		// Honest edits afterwards, through the same provider, reach the others.
		addAlly(forger.doc, { name: 'Radio rurale de Kayes', type: 'organisation' });
		await waitForSaved(forger);
		await waitFor(
			() => readAllies(bystander.doc).some((ally) => ally.name === 'Radio rurale de Kayes'),
			{
				what: "the forger's honest edit on the bystander"
			}
		);

		const live = await server.services.registry.open(room);
		expect(JSON.stringify(live.doc.getMap('charter').toJSON())).toBe(expected);
		expect(await storedCharter(room)).toBe(expected);
		expect(JSON.stringify(bystander.doc.getMap('charter').toJSON())).toBe(expected);
		expect(seen.length).toBeGreaterThan(0);
		for (const state of seen) expect(state).toBe(expected);
	});

	it('keeps the legitimate edits of an offline batch that also forged the charter', async () => {
		const room = 'charter-offline-batch';
		const expected = await lockedRoom(room);
		const forger = await participant(room);
		const bystander = await participant(room);
		await waitFor(() => JSON.stringify(bystander.doc.getMap('charter').toJSON()) === expected, {
			what: 'the charter'
		});
		const seen = recordCharters(bystander);

		forger.provider.disconnect();
		addAlly(forger.doc, { name: 'Association des femmes de Kayes', type: 'association' });
		forger.doc.transact(() => forge(forger.doc));
		addTaskTo(forger.doc, { title: 'Préparer la lettre au maire' });
		forger.provider.connect();
		await waitForSaved(forger);

		await waitFor(
			() =>
				readAllies(bystander.doc).some((ally) => ally.name === 'Association des femmes de Kayes') &&
				[...bystander.doc.getMap('tasks').values()].some(
					(task) =>
						(task as Y.Map<unknown>).get('title')?.toString() === 'Préparer la lettre au maire'
				),
			{ what: 'the legitimate edits of the batch' }
		);
		await waitFor(() => JSON.stringify(forger.doc.getMap('charter').toJSON()) === expected, {
			timeout: 1000,
			what: 'the forger to show the true charter again'
		});
		const live = await server.services.registry.open(room);
		expect(JSON.stringify(live.doc.getMap('charter').toJSON())).toBe(expected);
		expect(await storedCharter(room)).toBe(expected);
		for (const state of seen) expect(state).toBe(expected);
	});

	it('survives a server restart unchanged, forged writes included', async () => {
		const room = 'charter-restart';
		const expected = await lockedRoom(room);
		const forger = await participant(room);
		forger.doc.transact(() => forge(forger.doc));
		await waitForSaved(forger);
		for (const board of boards.splice(0)) board.destroy();
		for (const client of commandClients.splice(0)) client.destroy();

		await server.close();
		server = await startTestServer({ DATA_DIR: dataDir });
		const live = await server.services.registry.open(room);
		expect(JSON.stringify(live.doc.getMap('charter').toJSON())).toBe(expected);
		const reader = await participant(room);
		expect(JSON.stringify(reader.doc.getMap('charter').toJSON())).toBe(expected);
	});
});
