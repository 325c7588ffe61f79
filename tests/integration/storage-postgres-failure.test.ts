/**
 * PostgreSQL going away under a running server, the two ways a network loses it: reset (the
 * database restarted, the link cut) and silent (no answer, no reset). Nothing is acknowledged that
 * is not committed, `/healthz` says 503, and the server recovers by itself when the database is
 * back: every edit a client still holds is stored then. And instances starting together on a new
 * schema migrate it once. The server connects through a TCP proxy (tests/fixtures/tcp-proxy.ts).
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RunningServer } from '../../server/app';
import { SCHEMA_VERSION } from '../../server/storage/migrations';
import { openStorage } from '../../server/storage/open';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import type { Storage } from '../../src/lib/server/ports/storage';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { addAlly, readAllies } from '../../src/lib/shared/schema';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { seedMember } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { dropSchema, TEST_DATABASE_URL, testSchema } from '../fixtures/storages';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy';

const ROOM = 'pg-failure-room';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxy(): Promise<TcpProxy> {
	const started = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
	cleanups.push(() => started.close());
	return started;
}

function schema(): string {
	const name = testSchema();
	cleanups.push(() => dropSchema(name));
	return name;
}

/** A storage straight on PostgreSQL (not through the proxy): what a new reader would find. */
async function direct(name: string): Promise<Storage> {
	const storage = openStorage({
		database: { url: TEST_DATABASE_URL, schema: name },
		dataDir: '',
		busyTimeoutMs: 5000
	});
	cleanups.push(() => storage.close());
	await storage.ready();
	return storage;
}

async function serverThrough(through: TcpProxy, name: string): Promise<RunningServer> {
	const server = await startTestServer({
		DATABASE_URL: through.url('test'),
		DATABASE_SCHEMA: name
	});
	cleanups.push(() => server.close());
	return server;
}

async function health(server: RunningServer): Promise<number> {
	return (await fetch(`${server.url}/healthz`)).status;
}

function recordCloseCodes(client: BoardConnection): number[] {
	const codes: number[] = [];
	client.provider.on('connection-close', (event) => {
		if (event) codes.push(event.code);
	});
	return codes;
}

async function storedAllyNames(storage: Storage): Promise<string[]> {
	const stored = await storage.loadDocument(ROOM);
	const doc = new Y.Doc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const update of stored.updates) Y.applyUpdate(doc, update.data);
	return readAllies(doc)
		.map((ally) => ally.name)
		.sort();
}

describe('PostgreSQL going away under a running server', () => {
	it.each(['cut', 'stall'] as const)(
		'(%s) acknowledges nothing, says 503, and stores every held edit once it is back',
		async (how) => {
			const through = await proxy();
			const name = schema();
			const server = await serverThrough(through, name);
			const member = await seedMember(server, ROOM);
			const client = connectClient(server.url, ROOM, { cookie: member.cookie });
			cleanups.push(() => client.destroy());
			await waitForSynced(client);
			addAlly(client.doc, { name: 'Avant la coupure', type: 'group' });
			await waitForSaved(client);
			expect(await health(server)).toBe(200);
			const codes = recordCloseCodes(client);

			through[how]();
			addAlly(client.doc, { name: 'Pendant la coupure', type: 'association' });
			// The commit fails (a reset at once, a silent network by the client-side timeout):
			// the document's sockets are closed with 4500 and the edit stays unacknowledged.
			await waitFor(() => codes.includes(CloseCode.storageFailure), {
				timeout: 25_000,
				what: 'the failed commit to close the socket with 4500'
			});
			expect(client.saves.unsaved).toBeGreaterThan(0);
			await waitFor(async () => (await health(server)) === 503, {
				timeout: 10_000,
				what: '/healthz 503'
			});
			const reader = await direct(name);
			expect(await storedAllyNames(reader)).toEqual(['Avant la coupure']);

			through.restore();
			await waitFor(async () => (await health(server)) === 200, {
				timeout: 20_000,
				what: '/healthz 200 again, by itself'
			});
			await waitForSaved(client, 25_000);
			expect(await storedAllyNames(reader)).toEqual(['Avant la coupure', 'Pendant la coupure']);
		},
		70_000
	);

	it('answers /healthz within seconds on a silent network, and recovers without a restart', async () => {
		const through = await proxy();
		const name = schema();
		const server = await serverThrough(through, name);
		expect(await health(server)).toBe(200);
		through.stall();
		const started = Date.now();
		expect(await health(server)).toBe(503);
		// The write check's own limit (3 s), not the kernel's TCP timeout.
		expect(Date.now() - started).toBeLessThan(6000);
		through.restore();
		await waitFor(async () => (await health(server)) === 200, {
			timeout: 20_000,
			what: '/healthz 200 again'
		});
	}, 40_000);
});

describe('instances starting together on a new schema', () => {
	it('migrate it once: every one ready, each version applied once', async () => {
		const name = schema();
		const storages = [0, 1, 2].map(() =>
			openStorage({
				database: { url: TEST_DATABASE_URL, schema: name },
				dataDir: '',
				busyTimeoutMs: 5000
			})
		);
		cleanups.push(() => Promise.all(storages.map((storage) => storage.close())).then(() => {}));
		await Promise.all(storages.map((storage) => storage.ready()));
		const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
		await client.connect();
		try {
			const { rows } = await client.query<{ version: number }>(
				`SELECT version FROM ${name}.schema_migrations ORDER BY version`
			);
			expect(rows.map((row) => row.version)).toEqual(
				Array.from({ length: SCHEMA_VERSION }, (_, index) => index + 1)
			);
		} finally {
			await client.end();
		}
	});
});
