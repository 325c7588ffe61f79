/**
 * "Steps reached" in the history: the first time a facilitator brings the group to a step, the
 * server records it in the event log (who, when, the board as it then stood); going back to a step
 * already reached records nothing, and neither does a client writing the step into the document.
 * The timeline shows each step once, in order, even when two merged copies both reached it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seedMember } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectClient, waitForSaved, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import { connectCommands, type CommandClient } from '../../src/lib/realtime/commands';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { loadTimeline } from '../../src/lib/server/history';

let server: RunningServer;
const clients: CommandClient[] = [];
const boards: BoardConnection[] = [];

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	for (const client of clients.splice(0)) client.destroy();
	for (const board of boards.splice(0)) board.destroy();
	await server.close();
});

async function facilitator(room: string, name: string): Promise<CommandClient> {
	const seeded = await seedMember(server, room, { role: 'facilitator', name });
	const client = connectCommands({
		origin: server.url,
		workshopId: room,
		extraHeaders: { cookie: seeded.cookie }
	});
	clients.push(client);
	await new Promise((resolve, reject) => {
		client.socket.once('connect', () => resolve(null));
		client.socket.once('connect_error', reject);
	});
	return client;
}

async function stepEvents(room: string) {
	return (await server.services.storage.history.listEvents(room))
		.filter((event) => event.kind === 'step')
		.map((event) => [event.reason, event.userName]);
}

describe('steps reached', () => {
	it('records the first time the group is brought to each step, by whom, with the board as it stood', async () => {
		const room = 'steps-first-time';
		const awa = await facilitator(room, 'Awa Traoré');
		for (const step of ['identify', 'study', 'identify', null, 'study', 'mobilise'] as const) {
			expect(await awa.send('facilitation:step', { step })).toMatchObject({ ok: true });
		}
		expect(await stepEvents(room)).toEqual([
			['identify', 'Awa Traoré'],
			['study', 'Awa Traoré'],
			['mobilise', 'Awa Traoré']
		]);
		const events = await server.services.storage.history.listEvents(room);
		const versions = await server.services.storage.history.listVersions(room);
		const mobilise = events.find((event) => event.reason === 'mobilise')!;
		const version = versions.find((entry) => entry.eventId === mobilise.id)!;
		const then = new Y.Doc();
		Y.applyUpdate(then, version.state);
		expect(then.getMap('facilitation').get('step')).toBe('mobilise');

		const timeline = await loadTimeline(server.services, room, 0);
		expect(
			timeline
				.filter((entry) => entry.kind === 'step')
				.map((entry) => 'step' in entry && entry.step)
		).toEqual(['identify', 'study', 'mobilise']);
	});

	it('records nothing for a step a client writes into the document itself', async () => {
		const room = 'steps-forged';
		await facilitator(room, 'Awa Traoré');
		const moussa = await seedMember(server, room, { role: 'participant', name: 'Moussa' });
		const board = connectClient(server.url, room, { cookie: moussa.cookie });
		boards.push(board);
		await waitForSynced(board);
		board.doc.getMap('facilitation').set('step', 'tasks');
		await waitForSaved(board);
		expect(await stepEvents(room)).toEqual([]);
	});

	it('shows a step two merged copies both reached once, at the first time', async () => {
		const room = 'steps-merged';
		const awa = await facilitator(room, 'Awa Traoré');
		await awa.send('facilitation:step', { step: 'identify' });
		const [first] = await server.services.storage.history.listEvents(room);
		// The venue laptop's copy reached it too, later: its event arrives with a merge.
		await server.services.storage.imports.merge({
			workshop: (await server.services.storage.getWorkshop(room))!,
			links: { joinCode: 'UNUSED', inviteToken: 'unused-i', observerToken: 'unused-o' },
			importer: null,
			users: [],
			organisations: [],
			members: [],
			rounds: [],
			ballots: [],
			scores: [],
			placements: [],
			contacts: [],
			events: [
				{
					uid: 'laptop-step-identify',
					kind: 'step',
					userId: first.userId,
					userName: 'Oumar Diarra',
					reason: 'identify',
					at: first.at + 60_000
				}
			],
			versions: []
		});
		expect(await stepEvents(room)).toHaveLength(2);
		const steps = (await loadTimeline(server.services, room, 0)).filter(
			(entry) => entry.kind === 'step'
		);
		expect(steps).toEqual([
			{
				kind: 'step',
				at: first.at,
				by: 'Awa Traoré',
				step: 'identify',
				versionId: expect.any(Number)
			}
		]);
	});
});
