import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { DATABASE_FILE, openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';
import { DocumentRegistry, type Peer } from '../../server/yjs/registry';
import { createLogger } from '../../server/log';
import { tempDataDir } from '../fixtures/server';
import { waitFor } from '../fixtures/clients';
import { addAlly } from '../../src/lib/shared/schema';
import { CloseCode } from '../../src/lib/shared/close-codes';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(
	busyTimeoutMs = 3000,
	checkpointIntervalMs?: number,
	checkpointAfterBytes?: number
): { storage: SqliteStorage; lock: () => Database.Database; walBytes: () => number } {
	const dataDir = tempDataDir();
	const storage = openSqliteStorage({
		dataDir,
		busyTimeoutMs,
		checkpointIntervalMs,
		checkpointAfterBytes
	});
	cleanups.push(() => storage.close());
	/** Another connection holding the write lock, as another process could. */
	const lock = () => {
		const other = new Database(path.join(dataDir, DATABASE_FILE));
		other.exec('BEGIN IMMEDIATE');
		cleanups.push(() => {
			if (other.inTransaction) other.exec('ROLLBACK');
			other.close();
		});
		return other;
	};
	const walBytes = () => fs.statSync(path.join(dataDir, `${DATABASE_FILE}-wal`)).size;
	return { storage, lock, walBytes };
}

const row = (doc: string) => ({ doc, update: new Uint8Array([0, 0]) });
/** The writer thread dies before it answers anything asked after this. */
function crashWriter(storage: SqliteStorage): void {
	storage.writer.worker!.postMessage({ id: 0, op: 'exit' });
}

/** The longest gap between the ticks of a 5 ms interval while `during` runs. */
async function worstLoopGap<T>(during: () => Promise<T>): Promise<{ result: T; gapMs: number }> {
	let last = performance.now();
	let gapMs = 0;
	const ticker = setInterval(() => {
		const now = performance.now();
		gapMs = Math.max(gapMs, now - last);
		last = now;
	}, 5);
	try {
		return { result: await during(), gapMs };
	} finally {
		clearInterval(ticker);
	}
}

describe('the update log writer thread', () => {
	it('commits with its own connection in WAL mode with synchronous=FULL, and never checkpoints', async () => {
		const { storage } = open();
		expect(await storage.writer.settings()).toEqual({
			journalMode: 'wal',
			synchronous: 2,
			autocheckpoint: 0
		});
		// The main connection leaves checkpoints (more fsyncs) to the checkpointer too.
		expect(storage.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
	});

	it("makes the main connection's writes durable on its own thread: the write resolves after the WAL's sync", async () => {
		const { storage } = open();
		await storage.writer.start();
		// The main connection's commits don't fsync (that would be on the event loop)...
		expect(storage.db.pragma('synchronous', { simple: true })).toBe(1);
		const worker = storage.writer.worker!;
		const post = worker.postMessage.bind(worker);
		const asked: string[] = [];
		worker.postMessage = (message: { op: string }) => {
			asked.push(message.op);
			post(message);
		};
		let created: boolean | null = null;
		const write = storage
			.createUser({ id: 'u1', login: 'aminata', passwordHash: '', createdAt: 1 })
			.then((result) => (created = result));
		// ...the writer syncs the WAL they went to, and only then is the write reported done.
		await new Promise((resolve) => setImmediate(resolve));
		expect(asked).toEqual(['sync']);
		await write;
		expect(created).toBe(true);
		expect(await storage.getUserByLogin('aminata')).toMatchObject({ id: 'u1' });
	});

	it("keeps checkpoints out of its commits: the WAL holds every commit until the checkpointer's turn", async () => {
		// The checkpointer's interval is an hour: only checkpointNow() below checkpoints.
		const { storage, walBytes } = open(3000, 3_600_000);
		const page = new Uint8Array(4096).fill(7);
		for (let commit = 0; commit < 30; commit++) {
			await storage.appendUpdates(
				Array.from({ length: 100 }, (_, i) => ({ doc: `doc-${i % 3}`, update: page }))
			);
		}
		// 12 MB of rows: a commit that checkpointed once the WAL passed SQLite's 1,000 pages (4 MB)
		// would have restarted it from the beginning, and it would never have grown past ~4.5 MB.
		expect(walBytes()).toBeGreaterThan(10 * 1024 * 1024);
		const { log, checkpointed, busy } = await storage.checkpointer.checkpointNow();
		expect({ busy, all: checkpointed === log }).toEqual({ busy: 0, all: true });
		expect(log).toBeGreaterThan(3000);
		expect((await storage.loadDocument('doc-1')).updates).toHaveLength(990);
	});

	it('starts its checkpointer once the WAL has grown, not with the storage', async () => {
		const { storage } = open(3000, 50, 64 * 1024);
		await storage.ready();
		await storage.appendUpdates([row('a'), row('b')]);
		expect(storage.checkpointer.worker).toBeNull();
		await storage.appendUpdates([{ doc: 'a', update: new Uint8Array(64 * 1024) }]);
		expect(storage.checkpointer.worker).not.toBeNull();
	});

	it('checkpoints the WAL on its own thread every interval, and once more after a dead thread', async () => {
		const { storage } = open(3000, 50, 0);
		await storage.ready();
		await storage.appendUpdates([row('a'), row('b')]);
		await waitFor(() => storage.checkpointer.count > 0 && storage.checkpointer.last!.log > 0, {
			what: 'a checkpoint'
		});
		expect(storage.checkpointer.last!.checkpointed).toBe(storage.checkpointer.last!.log);
		const before = storage.checkpointer.count;
		storage.checkpointer.worker!.postMessage({ op: 'exit' });
		await storage.appendUpdates([row('c')]);
		await waitFor(() => storage.checkpointer.count > before + 1, { what: 'a new thread' });
		expect((await storage.loadDocument('c')).updates).toHaveLength(1);
	});

	it('keeps the event loop running while a commit waits for the database', async () => {
		const { storage, lock } = open();
		await storage.writer.start();
		const other = lock();
		// Released by this thread's own timer: it fires only if the commit does not block the loop.
		setTimeout(() => other.exec('ROLLBACK'), 300);
		const { result, gapMs } = await worstLoopGap(() => storage.appendUpdates([row('a')]));
		expect(result).toHaveLength(1);
		// Blocked, the loop would stall for the whole busy timeout (3 s) and the lock would never go.
		expect(gapMs).toBeLessThan(1000);
		expect((await storage.loadDocument('a')).updates).toHaveLength(1);
	});

	it("queues the main connection's writes behind the writer's commits instead of waiting for its lock", async () => {
		const { storage, lock } = open();
		await storage.writer.start();
		const other = lock();
		setTimeout(() => other.exec('ROLLBACK'), 300);
		const order: string[] = [];
		const { gapMs } = await worstLoopGap(() =>
			Promise.all([
				storage.appendUpdates([row('a')]).then(() => order.push('commit')),
				// A session write while the commit waits: it takes its turn after it, off the event loop.
				storage
					.createUser({ id: 'u1', login: 'aminata', passwordHash: '', createdAt: 1 })
					.then((created) => order.push(`user ${created}`))
			])
		);
		expect(order).toEqual(['commit', 'user true']);
		// Blocked, the loop would stall for the whole busy timeout (3 s) and the lock would never go.
		expect(gapMs).toBeLessThan(1000);
	});

	it('fails what a dying writer thread was asked, and starts a new one for the next request', async () => {
		const { storage } = open();
		await storage.writer.start();
		crashWriter(storage);
		await expect(storage.appendUpdates([row('a')])).rejects.toThrow(/writer exited/);
		expect(await storage.appendUpdates([row('b')])).toHaveLength(1);
		expect(storage.writer.starts).toBe(2);
		expect((await storage.loadDocument('a')).updates).toEqual([]);
		expect((await storage.loadDocument('b')).updates).toHaveLength(1);
	});

	it("closes a batch's sockets with 4500 and acknowledges nothing when the writer dies before answering its commit; the next commit works", async () => {
		const { storage } = open();
		await storage.writer.start();
		const registry = new DocumentRegistry({
			storage,
			log: createLogger('silent'),
			graceMs: 60_000,
			maxDocumentBytes: 50 * 1024 * 1024,
			maxPendingBytes: 1024 * 1024,
			compaction: { rows: 1_000_000, bytes: 1_000_000_000 }
		});
		cleanups.push(() => registry.close());
		const peer = () => {
			const received: Uint8Array[] = [];
			const committed: number[] = [];
			const closes: number[] = [];
			const p: Peer = {
				awarenessIds: new Set(),
				send: (message) => received.push(message),
				sendCommitted: (count) => committed.push(count),
				close: (code) => closes.push(code)
			};
			return Object.assign(p, { received, committed, closes });
		};
		const live = await registry.open('room');
		const writer = peer();
		const reader = peer();
		registry.attach(live, writer);
		registry.attach(live, reader);
		const client = new Y.Doc();
		client.on('update', (update: Uint8Array) => registry.applyClientUpdate(live, writer, update));
		crashWriter(storage);
		addAlly(client, { name: 'lost with the writer', type: 'group' });
		registry.acknowledgeAfterCommit(live, writer, 1);
		await registry.flush();
		expect(writer.closes).toEqual([CloseCode.storageFailure]);
		expect(reader.closes).toEqual([CloseCode.storageFailure]);
		expect(writer.committed).toEqual([]);
		expect(reader.received).toEqual([]);
		expect(registry.storageHealthy).toBe(false);

		await registry.changeDocument('room', (doc) =>
			addAlly(doc, { name: 'after the restart', type: 'group' })
		);
		expect(registry.storageHealthy).toBe(true);
		const stored = await storage.loadDocument('room');
		const replay = new Y.Doc();
		for (const { data } of stored.updates) Y.applyUpdate(replay, data);
		expect(JSON.stringify(replay.getMap('allies').toJSON())).toContain('after the restart');
		expect(JSON.stringify(replay.getMap('allies').toJSON())).not.toContain('lost with the writer');
	});
});
