/**
 * PostgreSQL going away under its clients, the two ways a network loses it: reset (the database
 * restarted, the link cut) and silent (no answer, no reset). The storage acknowledges nothing it
 * did not commit, fails in seconds instead of hanging, and recovers by itself when the database
 * is back; a server on it says 503, acknowledges no edit, and stores every held edit once the
 * database returns. And instances starting together on a new schema migrate it once. Storage and
 * servers connect through a TCP proxy (tests/fixtures/tcp-proxy.ts); what was really committed
 * is read straight from PostgreSQL, around the proxy.
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
import { useChildServers } from '../fixtures/child-servers';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { seedMember } from '../fixtures/members';
import { freePort, startTestServer } from '../fixtures/server';
import { dropSchema, engineEnv, TEST_DATABASE_URL, testSchema } from '../fixtures/storages';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy';

const ROOM = 'pg-failure-room';
/** The test database's address, name and user (TEST_DATABASE_URL), for the proxy. */
const DATABASE = new URL(TEST_DATABASE_URL);
const DATABASE_NAME = DATABASE.pathname.slice(1);

const children = useChildServers();

/**
 * Run after each test, last registered first, every one even when another fails, each within
 * 10 s. The proxies are closed first: a storage or server can't close while a query of its hangs
 * on a stalled connection, and closing the proxy resets them all.
 */
const proxies: TcpProxy[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	const errors: unknown[] = [];
	const steps = [
		...proxies.splice(0).map((started) => () => started.close()),
		...cleanups.splice(0).reverse()
	];
	for (const step of steps) {
		try {
			const done = await settleWithin(Promise.resolve().then(step), 10_000, 'a cleanup');
			if (!done.ok) errors.push(done.error);
		} catch (hung) {
			errors.push(hung);
		}
	}
	if (errors.length > 0) throw errors[0];
});

async function proxy(): Promise<TcpProxy> {
	const started = await startTcpProxy({
		target: { host: DATABASE.hostname, port: Number(DATABASE.port || 5432) },
		user: decodeURIComponent(DATABASE.username) || undefined
	});
	proxies.push(started);
	return started;
}

function schema(): string {
	const name = testSchema();
	cleanups.push(() => dropSchema(name));
	return name;
}

/** A storage on `name`, at `url` (straight on PostgreSQL when not given), closed after the test. */
function storageOn(name: string, url = TEST_DATABASE_URL): Storage {
	const storage = openStorage({
		database: { url, schema: name },
		dataDir: '',
		busyTimeoutMs: 5000
	});
	cleanups.push(() => storage.close());
	return storage;
}

/** A storage straight on PostgreSQL (not through the proxy): what a new reader would find. */
async function direct(name: string): Promise<Storage> {
	const storage = storageOn(name);
	await storage.ready();
	return storage;
}

async function serverThrough(through: TcpProxy, name: string): Promise<RunningServer> {
	const server = await startTestServer({
		DATABASE_URL: through.url(DATABASE_NAME),
		DATABASE_SCHEMA: name
	});
	cleanups.push(() => server.close());
	return server;
}

async function health(url: string): Promise<{ status: number; storage?: string }> {
	const response = await fetch(`${url}/healthz`);
	const body = (await response.json()) as { storage?: string };
	return { status: response.status, storage: body.storage };
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

const names = (client: BoardConnection) =>
	readAllies(client.doc)
		.map((ally) => ally.name)
		.sort();

/** How `promise` settled and after how long; fails the test if it has not within `limitMs`. */
async function settleWithin<T>(
	promise: Promise<T>,
	limitMs: number,
	what: string
): Promise<{ ms: number } & ({ ok: true; value: T } | { ok: false; error: unknown })> {
	const started = Date.now();
	let timer: NodeJS.Timeout | undefined;
	const hung = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new Error(`${what}: still pending after ${limitMs} ms`)),
			limitMs
		);
	});
	try {
		return await Promise.race([
			promise.then(
				(value) => ({ ok: true as const, value, ms: Date.now() - started }),
				(error: unknown) => ({ ok: false as const, error, ms: Date.now() - started })
			),
			hung
		]);
	} finally {
		clearTimeout(timer);
	}
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('PostgreSQL storage on a network that fails', () => {
	it('loses no acknowledged append when the connection is reset mid-commit, says unwritable while cut, and recovers by itself', async () => {
		const through = await proxy();
		const name = schema();
		const storage = storageOn(name, through.url(DATABASE_NAME));
		await storage.ready();
		const doc = 'stream-doc';

		// Four writers, each call after the previous one settled, every call two rows: calls are
		// always in flight, so the cut lands in the middle of commits. After the cut each writer
		// goes on until three of its calls failed: new calls must fail too, not hang.
		interface Call {
			payloads: string[];
			ids?: number[];
			error?: unknown;
		}
		const calls: Call[] = [];
		let inFlight = 0;
		let cut = false;
		// A failed test stops them too.
		let abandoned = false;
		cleanups.push(() => {
			abandoned = true;
		});
		const writer = async (w: number) => {
			let failedAfterCut = 0;
			for (let i = 0; failedAfterCut < 3 && !abandoned; i++) {
				const call: Call = { payloads: [`w${w}-c${i}-r0`, `w${w}-c${i}-r1`] };
				calls.push(call);
				inFlight++;
				try {
					call.ids = await storage.appendUpdates(
						call.payloads.map((payload) => ({ doc, update: bytes(payload), owned: null }))
					);
				} catch (error) {
					call.error = error;
					if (cut) failedAfterCut++;
				} finally {
					inFlight--;
				}
			}
		};
		const writers = Promise.all([0, 1, 2, 3].map(writer));
		await waitFor(() => calls.filter((call) => call.ids).length >= 20, {
			interval: 1,
			what: '20 appends committed before the cut'
		});
		const inFlightAtCut = inFlight;
		cut = true;
		through.cut();
		// A reset is noticed at once: every call settles, none hangs.
		const settled = await settleWithin(writers, 10_000, 'the appends after the cut');
		expect(settled.ok).toBe(true);

		const resolved = calls.filter((call) => call.ids);
		const rejected = calls.filter((call) => call.error);
		expect(inFlightAtCut).toBeGreaterThan(0);
		expect(rejected.length).toBeGreaterThan(0);
		expect(resolved.length + rejected.length).toBe(calls.length);

		const started = Date.now();
		expect(await storage.checkWritable()).toBe(false);
		expect(Date.now() - started).toBeLessThan(5000);

		// Read around the proxy: every acknowledged row is there, with its id, in order.
		const reader = await direct(name);
		const stored = new Map(
			(await reader.loadDocument(doc)).updates.map((row) => [row.id, text(row.data)])
		);
		for (const call of resolved) {
			expect(call.ids).toHaveLength(call.payloads.length);
			expect(call.ids!.map((id) => stored.get(id))).toEqual(call.payloads);
		}
		// A rejected call may have committed before its answer was lost, but never in part.
		const storedPayloads = new Set(stored.values());
		for (const call of rejected) {
			const found = call.payloads.filter((payload) => storedPayloads.has(payload)).length;
			expect([0, call.payloads.length]).toContain(found);
		}

		// The same storage object, not reopened, finds the database again.
		through.restore();
		await waitFor(() => storage.checkWritable(), {
			timeout: 10_000,
			interval: 200,
			what: 'checkWritable() true again after restore'
		});
		const [after] = await storage.appendUpdates([{ doc, update: bytes('after'), owned: null }]);
		const rows = (await reader.loadDocument(doc)).updates;
		expect(rows.find((row) => row.id === after)?.data).toEqual(bytes('after'));
	}, 40_000);

	it('rejects an append within seconds on a silent network instead of hanging, says unwritable within 3 s, and recovers by itself', async () => {
		const through = await proxy();
		const name = schema();
		const storage = storageOn(name, through.url(DATABASE_NAME));
		await storage.ready();
		const doc = 'silent-doc';
		// A committed append leaves its connection idle in the pool: the next one reuses it.
		await storage.appendUpdates([{ doc, update: bytes('before'), owned: null }]);

		through.stall();
		const append = storage.appendUpdates([{ doc, update: bytes('during'), owned: null }]);
		const writable = await settleWithin(
			storage.checkWritable(),
			5000,
			'checkWritable() on a silent network'
		);
		expect(writable).toMatchObject({ ok: true, value: false });
		expect(writable.ms).toBeLessThan(3500);
		// The pool's query_timeout, not the kernel's TCP retransmission timeout (minutes).
		const appended = await settleWithin(append, 20_000, 'an append on a silent network');
		expect(appended.ok).toBe(false);
		expect(appended.ms).toBeLessThan(15_000);

		through.restore();
		await waitFor(() => storage.checkWritable(), {
			timeout: 10_000,
			interval: 200,
			what: 'checkWritable() true again after restore'
		});
		const [after] = await storage.appendUpdates([{ doc, update: bytes('after'), owned: null }]);
		const reader = await direct(name);
		const rows = (await reader.loadDocument(doc)).updates;
		expect(rows.find((row) => row.id === after)?.data).toEqual(bytes('after'));
	}, 40_000);
});

describe('a server process on PostgreSQL whose database is cut', () => {
	it('says 503 within seconds, acknowledges no edit while cut, and once the database is back says 200 and stores the held edit by itself', async () => {
		const through = await proxy();
		const { env, drop } = engineEnv('postgres');
		cleanups.push(drop);
		const server = await children.start({
			...env,
			PORT: String(await freePort()),
			DATABASE_URL: through.url(DATABASE_NAME)
		});
		// Killed before its schema is dropped (the fixture's own kill comes after).
		cleanups.push(async () => {
			server.kill('SIGKILL');
			await server.exited;
		});
		expect(await health(server.url)).toEqual({ status: 200, storage: 'postgres' });

		const writer = children.connect(server, ROOM);
		const watcher = children.connect(server, ROOM);
		await Promise.all([waitForSynced(writer), waitForSynced(watcher)]);
		addAlly(writer.doc, { name: 'Before the cut', type: 'group' });
		await waitForSaved(writer);
		await waitFor(() => names(watcher).length === 1, { what: 'the watcher to see the first ally' });
		const writerCodes = recordCloseCodes(writer);

		const cutAt = Date.now();
		through.cut();
		await waitFor(async () => (await health(server.url)).status === 503, {
			timeout: 5000,
			interval: 100,
			what: '/healthz 503 after the cut'
		});
		expect(Date.now() - cutAt).toBeLessThan(5000);

		addAlly(writer.doc, { name: 'During the cut', type: 'association' });
		// The commit fails: the document's sockets are closed with 4500, nothing acknowledged,
		// nothing relayed, nothing stored.
		await waitFor(() => writerCodes.includes(CloseCode.storageFailure), {
			timeout: 10_000,
			what: 'the failed commit to close the writer with 4500'
		});
		expect(writer.saves.unsaved).toBe(1);
		expect(names(watcher)).toEqual(['Before the cut']);
		const reader = await direct(env.DATABASE_SCHEMA);
		expect(await storedAllyNames(reader)).toEqual(['Before the cut']);
		expect((await health(server.url)).status).toBe(503);

		through.restore();
		await waitForSaved(writer, 20_000);
		await waitFor(async () => (await health(server.url)).status === 200, {
			timeout: 10_000,
			interval: 100,
			what: '/healthz 200 again, by itself'
		});
		expect(await storedAllyNames(reader)).toEqual(['Before the cut', 'During the cut']);
		const fresh = children.connect(server, ROOM);
		await waitForSynced(fresh);
		expect(names(fresh)).toEqual(['Before the cut', 'During the cut']);
		// The server lived through it (a reset connection's 'error' unhandled would end it).
		expect(server.process.exitCode).toBeNull();
	}, 40_000);
});

describe('PostgreSQL going away under an in-process server', () => {
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
			expect((await health(server.url)).status).toBe(200);
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
			await waitFor(async () => (await health(server.url)).status === 503, {
				timeout: 10_000,
				what: '/healthz 503'
			});
			const reader = await direct(name);
			expect(await storedAllyNames(reader)).toEqual(['Avant la coupure']);

			through.restore();
			await waitFor(async () => (await health(server.url)).status === 200, {
				timeout: 20_000,
				what: '/healthz 200 again, by itself'
			});
			await waitForSaved(client, 25_000);
			expect(await storedAllyNames(reader)).toEqual(['Avant la coupure', 'Pendant la coupure']);
		},
		70_000
	);

	it('says 200 again once the database is back even if no client is left to commit', async () => {
		const through = await proxy();
		const name = schema();
		const server = await serverThrough(through, name);
		const member = await seedMember(server, ROOM);
		const client = connectClient(server.url, ROOM, { cookie: member.cookie });
		await waitForSynced(client);
		const codes = recordCloseCodes(client);
		through.cut();
		addAlly(client.doc, { name: 'Jamais enregistré', type: 'group' });
		await waitFor(() => codes.includes(CloseCode.storageFailure), {
			timeout: 25_000,
			what: 'the failed commit'
		});
		// The client leaves (a balancer stopped sending clients to an instance that says 503).
		client.destroy();
		expect((await health(server.url)).status).toBe(503);
		through.restore();
		await waitFor(async () => (await health(server.url)).status === 200, {
			timeout: 20_000,
			what: '/healthz 200 with no commit from a client'
		});
		// The probe leaves nothing behind.
		expect((await (await direct(name)).loadDocument(':health-probe')).updates).toEqual([]);
	}, 40_000);

	it('answers /healthz within seconds on a silent network, and recovers without a restart', async () => {
		const through = await proxy();
		const name = schema();
		const server = await serverThrough(through, name);
		expect((await health(server.url)).status).toBe(200);
		through.stall();
		const started = Date.now();
		expect((await health(server.url)).status).toBe(503);
		// The write check's own limit (3 s), not the kernel's TCP timeout.
		expect(Date.now() - started).toBeLessThan(6000);
		through.restore();
		await waitFor(async () => (await health(server.url)).status === 200, {
			timeout: 20_000,
			what: '/healthz 200 again'
		});
	}, 40_000);
});

describe('instances starting together on a new schema', () => {
	it('migrate it once: every one ready, each version applied once', async () => {
		const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
		await client.connect();
		cleanups.push(() => client.end());
		// A race lost only sometimes: five new schemas, three instances starting at once on each.
		for (let round = 0; round < 5; round++) {
			const name = schema();
			const storages = [0, 1, 2].map(() => storageOn(name));
			const results = await Promise.allSettled(storages.map((storage) => storage.ready()));
			expect(
				results.map((result) => (result.status === 'rejected' ? result.reason : 'ready'))
			).toEqual(['ready', 'ready', 'ready']);
			const { rows } = await client.query<{ version: number }>(
				`SELECT version FROM ${name}.schema_migrations ORDER BY version`
			);
			expect(rows.map((row) => row.version)).toEqual(
				Array.from({ length: SCHEMA_VERSION }, (_, index) => index + 1)
			);
		}
	});
});
