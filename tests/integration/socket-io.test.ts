import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectClient, sleep, waitFor, waitForSynced } from '../fixtures/clients';
import { expectAnswered, openRawClient } from '../fixtures/raw-socket';
import { openEngine } from '../fixtures/raw-protocols';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/events';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

type CommandSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: RunningServer | null = null;
const sockets: CommandSocket[] = [];
const clients: BoardConnection[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.disconnect();
	for (const client of clients.splice(0)) client.destroy();
	await server?.close();
	server = null;
});

/** A member of `workshop` connecting to its commands, with their session cookie. */
async function connectCommands(
	target: RunningServer,
	transports?: ('polling' | 'websocket')[],
	workshop = 'commands'
): Promise<CommandSocket> {
	const cookie = await memberCookie(target, workshop);
	const socket: CommandSocket = io(target.url, {
		transports,
		query: { workshop },
		extraHeaders: { cookie },
		reconnection: false,
		timeout: 10_000
	});
	sockets.push(socket);
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('connect_error', reject);
	});
	return socket;
}

describe('Socket.IO commands on the same port as /yjs', () => {
	for (const transports of [undefined, ['websocket'] as ('polling' | 'websocket')[]]) {
		it(`answers time:sync with the server clock (${transports ? 'WebSocket only' : 'polling, then upgrade'})`, async () => {
			server = await startTestServer();
			const socket = await connectCommands(server, transports);
			const before = Date.now();
			const result = await socket.timeout(5000).emitWithAck('time:sync');
			const after = Date.now();
			expect(result.ok).toBe(true);
			if (!result.ok) return;
			// Same process, same clock: the server's reading lies within the round trip.
			expect(result.value.serverTime).toBeGreaterThanOrEqual(before);
			expect(result.value.serverTime).toBeLessThanOrEqual(after);
		});
	}

	it('leaves a /yjs connection open and served beyond engine.io’s 1 s upgrade timeout', async () => {
		server = await startTestServer();
		const raw = await openRawClient(server.url, 'alongside-commands', {
			headers: { cookie: await memberCookie(server, 'alongside-commands') }
		});
		const socket = await connectCommands(server);
		const opened = Date.now();
		await expect(socket.timeout(5000).emitWithAck('time:sync')).resolves.toMatchObject({
			ok: true
		});
		await sleep(1600 - (Date.now() - opened));
		expect(raw.isOpen).toBe(true);
		await expectAnswered(raw);
		// And real providers still sync and relay next to Socket.IO.
		const a = connectClient(server.url, 'alongside-commands', {
			cookie: memberCookie(server, 'alongside-commands')
		});
		const b = connectClient(server.url, 'alongside-commands', {
			cookie: memberCookie(server, 'alongside-commands')
		});
		clients.push(a, b);
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		addAlly(a.doc, { name: 'Union des femmes', type: 'association' });
		await waitFor(() => readAllies(b.doc).length === 1, { what: 'the ally on B' });
		expect(socket.connected).toBe(true);
		raw.ws.close();
	});

	it('disconnects a socket that sends an event with 200,000 arguments and keeps serving the others', async () => {
		server = await startTestServer();
		const bystander = await connectCommands(server, ['websocket']);
		// A hand-built packet (the client library cannot spread that many arguments either).
		const offender = await openEngine(server.url, {
			join: true,
			workshop: 'commands',
			cookie: await memberCookie(server, 'commands')
		});
		// Socket.IO spreads the arguments into a call: unguarded, this overflows the stack and kills the process.
		offender.ws.send(`42["time:sync"${',1'.repeat(200_000)}]`);
		const closed = await Promise.race([
			offender.closed.then(() => true),
			sleep(5000).then(() => false)
		]);
		expect(closed).toBe(true);
		expect(offender.texts.at(-1)).toBe('41');
		await expect(bystander.timeout(5000).emitWithAck('time:sync')).resolves.toMatchObject({
			ok: true
		});
	});

	it('tells connected clients when the server shuts down', async () => {
		server = await startTestServer();
		const socket = await connectCommands(server, ['websocket']);
		const shutdown = new Promise<void>((resolve) => socket.once('server:shutdown', resolve));
		await server.close();
		await shutdown;
	});
});
