import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../src/lib/server/ports/storage';
import { DocumentRegistry, type Peer } from '../../server/yjs/registry';
import { createLogger } from '../../server/log';
import { tempDataDir } from '../fixtures/server';
import { allRows } from '../fixtures/storage-rows';
import { addAlly, readAllies, renameAlly } from '../../src/lib/shared/schema';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A real registry on real SQLite; `appendCalls` counts the transactions it commits. */
function setup(compaction = { rows: 1_000_000, bytes: 1_000_000_000 }, dataDir = tempDataDir()) {
	const storage = openSqliteStorage({ dataDir, busyTimeoutMs: 100 });
	const appendCalls: number[] = [];
	const append = storage.appendUpdates.bind(storage);
	storage.appendUpdates = async (rows) => {
		appendCalls.push(rows.length);
		return append(rows);
	};
	const registry = new DocumentRegistry({
		storage,
		log: createLogger('silent'),
		graceMs: 60_000,
		maxDocumentBytes: 50 * 1024 * 1024,
		maxPendingBytes: 1024 * 1024,
		compaction
	});
	cleanups.push(async () => {
		await registry.close();
		await storage.close();
	});
	return { storage, registry, appendCalls, dataDir };
}

function recordingPeer(): Peer & { received: Uint8Array[]; committed: number[] } {
	const received: Uint8Array[] = [];
	const committed: number[] = [];
	return {
		received,
		committed,
		awarenessIds: new Set(),
		send: (message) => received.push(message),
		sendCommitted: (count) => committed.push(count),
		close: () => {}
	};
}

/** The document's log rows: every one of them, those a snapshot covers included. */
async function rowCount(storage: Storage, doc: string): Promise<number> {
	const { doc_updates } = await allRows(storage);
	return (doc_updates as { doc: string }[]).filter((row) => row.doc === doc).length;
}

describe('the commit pipeline', () => {
	it('commits all updates applied in one tick in a single transaction', async () => {
		const { registry, appendCalls } = setup();
		const live = await registry.open('doc');
		const peer = recordingPeer();
		registry.attach(live, peer);
		const client = new Y.Doc();
		const updates: Uint8Array[] = [];
		client.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 5; i++) addAlly(client, { name: `ally ${i}`, type: 'group' });
		for (const update of updates) registry.applyClientUpdate(live, peer, update);
		await registry.flush();
		expect(appendCalls).toEqual([5]);
	});

	it('sends nothing derived from an update to other peers before it is committed', async () => {
		const { registry, storage } = setup();
		const live = await registry.open('doc');
		const writer = recordingPeer();
		const reader = recordingPeer();
		registry.attach(live, writer);
		registry.attach(live, reader);
		const client = new Y.Doc();
		let update: Uint8Array | null = null;
		client.on('update', (u: Uint8Array) => (update = u));
		addAlly(client, { name: 'CARE Mali', type: 'organisation' });
		registry.applyClientUpdate(live, writer, update!);
		registry.acknowledgeAfterCommit(live, writer, 1);
		// Applied in memory, not yet committed: nothing has left.
		expect(reader.received).toHaveLength(0);
		expect(writer.committed).toHaveLength(0);
		expect(await rowCount(storage, 'doc')).toBe(0);
		await registry.flush();
		expect(await rowCount(storage, 'doc')).toBe(1);
		expect(reader.received).toHaveLength(1);
		expect(writer.received).toHaveLength(0); // no echo to the sender
		expect(writer.committed).toEqual([1]);
	});

	it('compacts the log into a snapshot past the configured row threshold, keeping the document identical', async () => {
		const dataDir = tempDataDir();
		const { registry, storage } = setup({ rows: 10, bytes: 1_000_000_000 }, dataDir);
		for (let i = 0; i < 9; i++) {
			await registry.changeDocument('doc', (doc) =>
				addAlly(doc, { name: `ally ${i}`, type: 'group' })
			);
		}
		expect(await rowCount(storage, 'doc')).toBe(9);
		const hasSnapshot = async () => (await storage.loadDocument('doc')).snapshot !== null;
		expect(await hasSnapshot()).toBe(false);
		await registry.changeDocument('doc', (doc) => {
			const [first] = readAllies(doc);
			renameAlly(doc, first.id, 'renamed');
		});
		// The writer compacts after the commit that crossed the threshold, off the commit path.
		await registry.flush();
		expect(await rowCount(storage, 'doc')).toBe(0);
		expect(await hasSnapshot()).toBe(true);

		const live = await registry.open('doc');
		const before = live.doc;
		// A fresh registry on the same file loads snapshot + log.
		const { registry: second } = setup({ rows: 10, bytes: 1_000_000_000 }, dataDir);
		const after = (await second.open('doc')).doc;
		expect(Y.encodeStateVector(after)).toEqual(Y.encodeStateVector(before));
		expect(Y.equalSnapshots(Y.snapshot(after), Y.snapshot(before))).toBe(true);
		expect(after.getMap('allies').toJSON()).toEqual(before.getMap('allies').toJSON());
		expect(readAllies(after)[0].name).toBe('renamed');
	});

	it('loads a document once however many connections ask at the same time', async () => {
		const { registry, storage } = setup();
		let loads = 0;
		const load = storage.loadDocument.bind(storage);
		storage.loadDocument = async (doc) => {
			loads++;
			return load(doc);
		};
		const opened = await Promise.all(Array.from({ length: 10 }, () => registry.open('same')));
		expect(new Set(opened).size).toBe(1);
		expect(loads).toBe(1);
	});

	it('times each commit and how long its updates were held back before they could be relayed', async () => {
		const { registry, storage } = setup();
		const append = storage.appendUpdates;
		storage.appendUpdates = async (rows) => {
			await new Promise((resolve) => setTimeout(resolve, 30)); // a slow disk
			return append(rows);
		};
		const live = await registry.open('doc');
		const writer = recordingPeer();
		const reader = recordingPeer();
		registry.attach(live, writer);
		registry.attach(live, reader);
		const client = new Y.Doc();
		client.on('update', (u: Uint8Array) => registry.applyClientUpdate(live, writer, u));
		registry.timings.commit.reset();
		registry.timings.held.reset();
		addAlly(client, { name: 'CARE Mali', type: 'organisation' });
		await registry.flush();
		const { commit, held } = registry.timings;
		expect(commit.count).toBe(1);
		expect(commit.min).toBeGreaterThanOrEqual(29_000); // microseconds
		expect(held.count).toBe(1);
		expect(held.min).toBeGreaterThanOrEqual(commit.min);
		// A batch with nothing to store (an acknowledgement alone) is not a commit.
		registry.acknowledgeAfterCommit(live, writer, 1);
		await registry.flush();
		expect(commit.count).toBe(1);
	});

	it('writes no row for a document nobody changed', async () => {
		const { registry, storage } = setup();
		const live = await registry.open('untouched');
		registry.attach(live, recordingPeer());
		await registry.flush();
		expect(await rowCount(storage, 'untouched')).toBe(0);
	});
});
