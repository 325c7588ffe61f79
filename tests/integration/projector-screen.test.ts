/**
 * What the projector shows is a facilitator's choice, written by the server into
 * `facilitation.screen`: the join screen, the charter or the group's step; bringing everyone to a
 * step puts the board back up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMember, type MemberOptions } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { useMemberClients, waitFor, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import { connectCommands, type CommandClient } from '../../src/lib/realtime/commands';
import { readProjectorScreen } from '../../src/lib/shared/projector-screen';

let server: RunningServer;
const clients: CommandClient[] = [];

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await server.close();
});
const connectBoard = useMemberClients(() => server);

async function member(workshopId: string, options: MemberOptions = {}) {
	const seeded = await seedMember(server, workshopId, options);
	const client = connectCommands({
		origin: server.url,
		workshopId,
		extraHeaders: { cookie: seeded.cookie }
	});
	clients.push(client);
	await new Promise((resolve, reject) => {
		client.socket.once('connect', () => resolve(null));
		client.socket.once('connect_error', reject);
	});
	return { ...seeded, client };
}

describe('facilitation:screen', () => {
	it('lets only a facilitator choose the projector screen; a step brings the board back', async () => {
		const room = 'projector-screen';
		const facilitator = await member(room);
		const participant = await member(room, { role: 'participant' });
		expect(await participant.client.send('facilitation:screen', { screen: 'join' })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		expect(
			await facilitator.client.send('facilitation:screen', { screen: 'settings' } as never)
		).toEqual({
			ok: false,
			error: 'invalid'
		});
		const board = connectBoard(room);
		await waitForSynced(board);
		expect(readProjectorScreen(board.doc)).toBe('board');

		expect(await facilitator.client.send('facilitation:screen', { screen: 'join' })).toEqual({
			ok: true,
			value: { screen: 'join' }
		});
		await waitFor(() => readProjectorScreen(board.doc) === 'join', { what: 'the join screen' });
		expect(await facilitator.client.send('facilitation:step', { step: 'tasks' })).toMatchObject({
			ok: true
		});
		await waitFor(() => readProjectorScreen(board.doc) === 'board', { what: 'the board again' });
	});
});
