/**
 * The command layer, with real Socket.IO clients against the real server: roles re-read from
 * storage, validation, idempotency keys, one command at a time per workshop, and the first command
 * (`facilitation:step`) writing a server-owned root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMember, type MemberOptions } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { useMemberClients, waitFor, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import { bindCommand } from '../../server/commands/command';
import { defineCommand, refuse } from '../../src/lib/server/commands/command';
import { connectCommands, withKey, type CommandClient } from '../../src/lib/realtime/commands';
import type { CommandEvent } from '../../src/lib/shared/events';

let server: RunningServer;
const clients: CommandClient[] = [];
let counted = 0;

beforeAll(async () => {
	server = await startTestServer();
	// A command of the test's own, bound like the real ones, to exercise the idempotency layer.
	const count = defineCommand<CommandEvent>({
		roles: ['facilitator', 'participant'],
		parse: (payload) => {
			const by = (payload as { by?: unknown } | null)?.by;
			return typeof by === 'number' ? ({ by } as never) : null;
		},
		async run(_context, payload) {
			const { by } = payload as unknown as { by: number };
			if (by < 0) refuse('invalid', 'negative');
			await new Promise((resolve) => setTimeout(resolve, 2));
			counted += by;
			return { total: counted } as never;
		},
		idempotent: { scope: () => 'round-1' }
	});
	server.services.io!.on('connection', (socket) =>
		bindCommand(socket, server.services, 'test:count' as CommandEvent, count)
	);
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

function sendCount(client: CommandClient, payload: object) {
	return client.send('test:count' as 'facilitation:step', payload as never) as Promise<unknown>;
}

describe('facilitation:step', () => {
	it('lets a facilitator bring everyone to a step, written into the document by the server', async () => {
		const room = 'step-facilitator';
		const { client } = await member(room);
		const board = connectBoard(room);
		await waitForSynced(board);
		expect(await client.send('facilitation:step', { step: 'tasks' })).toEqual({
			ok: true,
			value: { step: 'tasks' }
		});
		await waitFor(() => board.doc.getMap('facilitation').get('step') === 'tasks', {
			what: 'the step'
		});
		expect(await client.send('facilitation:step', { step: null })).toEqual({
			ok: true,
			value: { step: null }
		});
		await waitFor(() => board.doc.getMap('facilitation').get('step') === null, {
			what: 'free movement'
		});
	});

	it('refuses participants and observers, and changes nothing', async () => {
		const room = 'step-refused';
		const participant = await member(room, { role: 'participant' });
		const observer = await member(room, { role: 'observer' });
		for (const { client } of [participant, observer]) {
			expect(await client.send('facilitation:step', { step: 'tasks' })).toEqual({
				ok: false,
				error: 'forbidden',
				reason: 'role'
			});
		}
		const live = await server.services.registry.open(room);
		expect(live.doc.getMap('facilitation').has('step')).toBe(false);
	});

	it('refuses a step that does not exist, and a payload of the wrong shape', async () => {
		const { client } = await member('step-invalid');
		for (const payload of [{ step: 'nowhere' }, { step: 3 }, null, 'tasks', [1, 2]]) {
			expect(await client.send('facilitation:step', payload as never)).toEqual({
				ok: false,
				error: 'invalid'
			});
		}
	});

	it('refuses at once a member removed after connecting, and disconnects them', async () => {
		const room = 'step-removed';
		const facilitator = await member(room);
		expect(await server.services.storage.deleteMembership(room, facilitator.userId)).toBe(true);
		const disconnected = new Promise((resolve) =>
			facilitator.client.socket.once('disconnect', resolve)
		);
		expect(await facilitator.client.send('facilitation:step', { step: 'tasks' })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_a_member'
		});
		await disconnected;
	});

	it('answers a client that is offline without sending anything late', async () => {
		const { client } = await member('step-offline');
		client.socket.disconnect();
		expect(await client.send('facilitation:step', { step: 'tasks' })).toEqual({
			ok: false,
			error: 'unavailable',
			reason: 'offline'
		});
	});
});

describe('facilitation:path', () => {
	it('lets only a facilitator choose Option 1, Option 2 or both, written by the server', async () => {
		const room = 'path-choice';
		const facilitator = await member(room);
		const participant = await member(room, { role: 'participant' });
		expect(await participant.client.send('facilitation:path', { path: 'join' })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		expect(
			await facilitator.client.send('facilitation:path', { path: 'nowhere' } as never)
		).toEqual({ ok: false, error: 'invalid' });
		const board = connectBoard(room);
		await waitForSynced(board);
		expect(board.doc.getMap('facilitation').has('path')).toBe(false);
		expect(await facilitator.client.send('facilitation:path', { path: 'create' })).toEqual({
			ok: true,
			value: { path: 'create' }
		});
		await waitFor(() => board.doc.getMap('facilitation').get('path') === 'create', {
			what: 'the path'
		});
	});
});

describe('idempotency keys', () => {
	it('runs 20 concurrent sends of one key once, and answers each with the first result', async () => {
		const { client } = await member('keys-concurrent', { role: 'participant' });
		const before = counted;
		const payload = withKey({ by: 1 });
		const results = await Promise.all(Array.from({ length: 20 }, () => sendCount(client, payload)));
		expect(counted).toBe(before + 1);
		for (const result of results)
			expect(result).toEqual({ ok: true, value: { total: before + 1 } });
	});

	it('refuses the same key with another payload, and keeps the first result', async () => {
		const { client } = await member('keys-reused', { role: 'participant' });
		const first = withKey({ by: 1 });
		const answer = await sendCount(client, first);
		const before = counted;
		expect(await sendCount(client, { ...first, by: 5 })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'key_reused'
		});
		expect(counted).toBe(before);
		expect(await sendCount(client, first)).toEqual(answer);
	});

	it('scopes keys to the session: another device with the same key is a new command', async () => {
		const a = await member('keys-session', { role: 'participant' });
		const b = await member('keys-session', { role: 'participant' });
		const payload = withKey({ by: 1 });
		const before = counted;
		await sendCount(a.client, payload);
		await sendCount(b.client, payload);
		expect(counted).toBe(before + 2);
	});

	it('remembers refusals too, and forgets a scope’s keys when told', async () => {
		const { client } = await member('keys-scope', { role: 'participant' });
		const negative = withKey({ by: -1 });
		expect(await sendCount(client, negative)).toEqual({
			ok: false,
			error: 'invalid',
			reason: 'negative'
		});
		const counting = withKey({ by: 1 });
		const before = counted;
		await sendCount(client, counting);
		await server.services.storage.commandResults.deleteScope('keys-scope', 'round-1');
		await sendCount(client, counting);
		expect(counted).toBe(before + 2);
	});

	it('refuses a command without a well-formed key', async () => {
		const { client } = await member('keys-missing', { role: 'participant' });
		const before = counted;
		for (const key of [undefined, 'short', 'x'.repeat(65), 'has spaces in it', 42]) {
			expect(await sendCount(client, { by: 1, key })).toEqual({
				ok: false,
				error: 'invalid',
				reason: 'key'
			});
		}
		expect(counted).toBe(before);
	});
});
