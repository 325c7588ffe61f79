/**
 * What a phone pays for presence in a quiet room: the bytes each connection exchanges with the
 * server over one idle minute, counted on the server's side of each TCP socket (every WebSocket
 * frame with its header, pings and pongs included; TCP/IP headers not), with real providers and
 * the production timings (awareness renewals every 15 s, pings every 10 s). Real time, not fake
 * timers: the renewal and keepalive timers are what is under test.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { seedMember } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectClient, sleep, waitFor, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import type { Role } from '../../src/lib/server/ports/storage';

/** The target of issue #14, each way, whatever the room's size. */
const BUDGET_PER_MINUTE = 512;
const IDLE_MS = 60_000;
/** Six pongs a minute (6 bytes each, masked) and a margin. */
const OBSERVER_BUDGET_PER_MINUTE = 64;

let server: RunningServer;

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	await server.close();
});

interface Counted {
	down: number;
	up: number;
	role: Role;
}

/** Bytes the server has written to and read from each `/yjs` socket of `room`. */
function socketBytes(room: string): Map<unknown, { written: number; read: number }> {
	const bytes = new Map<unknown, { written: number; read: number }>();
	for (const connection of server.services.connections) {
		if (connection.context.docName !== room) continue;
		const socket = (
			connection.ws as unknown as { _socket: { bytesWritten: number; bytesRead: number } }
		)._socket;
		bytes.set(connection, { written: socket.bytesWritten, read: socket.bytesRead });
	}
	return bytes;
}

/** `people` members (one of them an observer) present in `room`, then one idle minute measured. */
async function idleMinute(
	room: string,
	people: number
): Promise<{ counted: Counted[]; clients: BoardConnection[] }> {
	const roles: Role[] = Array.from({ length: people }, (_, index) =>
		index === 0 ? 'observer' : 'participant'
	);
	const members = await Promise.all(
		roles.map((role, index) => seedMember(server, room, { role, name: `Personne ${index}` }))
	);
	// The observer's app does not renew its presence, as BoardState sets it up for observers.
	const clients = members.map((member) =>
		connectClient(server.url, room, {
			cookie: member.cookie,
			renewPresence: member.role !== 'observer'
		})
	);
	await Promise.all(clients.map((client) => waitForSynced(client, 30_000)));
	// What the board does on arrival: a colour and the step looked at.
	clients.forEach((client, index) => {
		client.provider.awareness.setLocalStateField('color', '#1565c0');
		client.provider.awareness.setLocalStateField('step', index % 2 ? 'identify' : 'study');
	});
	await waitFor(
		() => clients.every((client) => client.provider.awareness.getStates().size === people),
		{
			timeout: 30_000,
			what: 'everyone to see everyone'
		}
	);
	// Let the arrival burst (and the re-sends it causes) drain before counting.
	await sleep(3_000);
	const roleOf = new Map<unknown, Role>();
	for (const connection of server.services.connections) {
		if (connection.context.docName === room)
			roleOf.set(connection, connection.context.access === 'view' ? 'observer' : 'participant');
	}
	const before = socketBytes(room);
	await sleep(IDLE_MS);
	const after = socketBytes(room);
	const counted: Counted[] = [];
	for (const [connection, start] of before) {
		const end = after.get(connection);
		if (!end) throw new Error('a connection closed during the idle minute');
		counted.push({
			down: end.written - start.written,
			up: end.read - start.read,
			role: roleOf.get(connection)!
		});
	}
	return { counted, clients };
}

function report(people: number, counted: Counted[]): void {
	const max = (values: number[]) => Math.max(...values);
	const mean = (values: number[]) =>
		Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
	const downs = counted.map((entry) => entry.down);
	const ups = counted.map((entry) => entry.up);
	const observer = counted.find((entry) => entry.role === 'observer')!;
	console.log(
		`idle minute, ${people} people: down mean ${mean(downs)} B max ${max(downs)} B; up mean ${mean(ups)} B max ${max(ups)} B; observer down ${observer.down} B up ${observer.up} B`
	);
}

describe.concurrent('idle traffic per phone', () => {
	for (const people of [8, 60]) {
		it(`costs each phone at most 0.5 KB a minute each way in a quiet room of ${people} people (an observer 64 B up), and everyone stays present`, async ({
			expect
		}) => {
			const { counted, clients } = await idleMinute(`idle-${people}`, people);
			try {
				report(people, counted);
				expect(counted).toHaveLength(people);
				// Observers send nearly nothing: their answers to the server's pings.
				const observer = counted.find((entry) => entry.role === 'observer')!;
				expect(observer.up).toBeLessThanOrEqual(OBSERVER_BUDGET_PER_MINUTE);
				for (const entry of counted) {
					expect(entry.down).toBeLessThanOrEqual(BUDGET_PER_MINUTE);
					expect(entry.up).toBeLessThanOrEqual(BUDGET_PER_MINUTE);
				}
				// Nobody's presence timed out on anyone's screen, and every socket is still the first one.
				for (const client of clients) {
					expect(client.provider.awareness.getStates().size).toBe(people);
					expect(client.provider.wsconnected).toBe(true);
				}
			} finally {
				for (const client of clients) client.destroy();
			}
		}, 150_000);
	}
});
