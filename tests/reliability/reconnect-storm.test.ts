/**
 * A reconnect storm: many clients with content, the server restarts (gracefully, then with
 * kill -9), and every client reconnects within the same half second (their backoff is capped
 * at 500 ms) and re-sends what it has. Nothing may be duplicated: the same allies with the same
 * ids, the shared Y.Text not doubled, no row stored twice, and the room still works as one.
 */
import path from 'node:path';
import { memberCookie } from '../fixtures/members';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { freePort, tempDataDir, dataDirOf } from '../fixtures/server';
import { useChildServers } from '../fixtures/child-servers';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { allowManyProviders, byMode, contentOf, stateVectorOf } from '../fixtures/reliability';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { addAlly, getAllies, readAllies } from '../../src/lib/shared/schema';
import { DATABASE_FILE } from '../../server/storage/sqlite';

allowManyProviders();

const ROOM = 'reconnect-storm';
const CLIENTS = byMode(100, 300);
/** Restarts in a row, alternating SIGTERM and SIGKILL. */
const RESTARTS = byMode(3, 6);

const { start, clients } = useChildServers();

/** Rows and bytes the server has stored for the room (read-only, next to a running server). */
function storedRows(dataDir: string): { rows: number; bytes: number } {
	const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
	try {
		const log = db
			.prepare<[string], { rows: number; bytes: number | null }>(
				'SELECT count(*) AS rows, sum(length(data)) AS bytes FROM doc_updates WHERE doc = ?'
			)
			.get(ROOM)!;
		return { rows: log.rows, bytes: log.bytes ?? 0 };
	} finally {
		db.close();
	}
}

const shared = (client: BoardConnection, id: string) =>
	getAllies(client.doc).get(id)!.get('name') as Y.Text;

describe('a reconnect storm after a restart', () => {
	it(
		`leaves ${CLIENTS} clients with the same allies, ids and text as before, stored once, and converged`,
		async () => {
			const env = { PORT: String(await freePort()), DATA_DIR: tempDataDir() };
			let server = await start(env);
			// One member's session, on every device of the room (seeded once, before any edit).
			const cookie = await memberCookie(dataDirOf(server.url), ROOM);
			for (let i = 0; i < CLIENTS; i++) clients.push(connectClient(server.url, ROOM, { cookie }));
			await Promise.all(clients.map((client) => waitForSynced(client, 60_000)));
			const sharedId = addAlly(clients[0].doc, { name: 'Coalition:', type: 'association' });
			await waitFor(() => clients.every((client) => getAllies(client.doc).has(sharedId)), {
				what: 'the shared ally everywhere',
				timeout: 30_000
			});
			clients.forEach((client, i) => {
				addAlly(client.doc, { name: `Ally of client ${i}`, type: 'group' });
				const text = shared(client, sharedId);
				text.insert(text.length, ` c${i}`);
			});
			await Promise.all(clients.map((client) => waitForSaved(client, 30_000)));
			await waitFor(
				() => clients.every((client) => readAllies(client.doc).length === CLIENTS + 1),
				{
					what: 'every ally everywhere',
					timeout: 30_000
				}
			);

			const before = contentOf(clients[0].doc);
			const ids = readAllies(clients[0].doc)
				.map((ally) => ally.id)
				.sort();
			const text = shared(clients[0], sharedId).toString();
			const vector = stateVectorOf(clients[0].doc);
			const stored = storedRows(env.DATA_DIR);
			expect(ids).toHaveLength(CLIENTS + 1);
			expect(text.split(' c')).toHaveLength(CLIENTS + 1);

			const report: string[] = [];
			for (let restart = 0; restart < RESTARTS; restart++) {
				const signal = restart % 2 === 0 ? 'SIGTERM' : 'SIGKILL';
				server.process.kill(signal);
				await server.exited;
				const noticed = () => clients.every((client) => !client.provider.wsconnected);
				await waitFor(noticed, { what: 'every client to notice' });
				const restarted = performance.now();
				server = await start(env);
				await Promise.all(clients.map((client) => waitForSynced(client, 60_000)));
				const reconnectMs = performance.now() - restarted;
				await Promise.all(clients.map((client) => waitForSaved(client, 30_000)));

				for (const client of clients) {
					expect(
						readAllies(client.doc)
							.map((ally) => ally.id)
							.sort()
					).toEqual(ids);
					expect(shared(client, sharedId).toString()).toBe(text);
					expect(contentOf(client.doc)).toBe(before);
					expect(stateVectorOf(client.doc)).toEqual(vector);
				}
				// Every client re-sent what it had: none of it is new, so nothing was stored again.
				expect(storedRows(env.DATA_DIR)).toEqual(stored);
				report.push(
					`${signal}: ${CLIENTS} clients back and synced ${Math.round(reconnectMs)} ms after the restart`
				);
			}

			// One room again, not one per reconnection: a new edit reaches everyone, and a fresh client.
			const lastId = addAlly(clients[CLIENTS - 1].doc, {
				name: 'After the storm',
				type: 'individual'
			});
			await waitFor(() => clients.every((client) => getAllies(client.doc).has(lastId)), {
				what: 'the last edit everywhere',
				timeout: 30_000
			});
			const fresh = connectClient(server.url, ROOM, { cookie });
			clients.push(fresh);
			await waitForSynced(fresh);
			expect(readAllies(fresh.doc)).toHaveLength(CLIENTS + 2);
			expect(shared(fresh, sharedId).toString()).toBe(text);
			console.info(
				`reconnect storm: ${CLIENTS + 1} allies, text of ${text.length} characters;\n${report.join('\n')}`
			);
		},
		byMode(120_000, 600_000)
	);
});
