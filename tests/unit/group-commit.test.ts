import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStorage } from '../../server/storage/sqlite';
import {
	DocumentRegistry,
	StorageFailure,
	type LiveDocument,
	type Peer
} from '../../server/yjs/registry';
import { createLogger } from '../../server/log';
import { tempDataDir } from '../fixtures/server';
import { addAlly } from '../../src/lib/shared/schema';
import { CloseCode } from '../../src/lib/shared/close-codes';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A registry on real SQLite whose commits each take `commitMs` more (a slow disk). */
async function setup(commitMs = 40) {
	const storage = openSqliteStorage({ dataDir: tempDataDir(), busyTimeoutMs: 100 });
	const commits: string[][] = [];
	const append = storage.appendUpdates.bind(storage);
	storage.appendUpdates = async (rows) => {
		commits.push(rows.map((row) => row.doc));
		await new Promise((resolve) => setTimeout(resolve, commitMs));
		return append(rows);
	};
	const registry = new DocumentRegistry({
		storage,
		log: createLogger('silent'),
		graceMs: 60_000,
		maxDocumentBytes: 50 * 1024 * 1024,
		maxPendingBytes: 1024 * 1024,
		compaction: { rows: 1_000_000, bytes: 1_000_000_000 }
	});
	cleanups.push(async () => {
		await registry.close();
		await storage.close();
	});
	await storage.writer.start(); // its thread's start-up is not part of any commit here
	return { storage, registry, commits };
}

function recordingPeer(): Peer & { received: Uint8Array[]; committed: number[]; closes: number[] } {
	const received: Uint8Array[] = [];
	const committed: number[] = [];
	const closes: number[] = [];
	return {
		received,
		committed,
		closes,
		awarenessIds: new Set(),
		send: (message) => received.push(message),
		sendCommitted: (count) => committed.push(count),
		close: (code) => closes.push(code)
	};
}

/** A client whose every edit the registry applies as `peer`'s. */
function editor(
	registry: DocumentRegistry,
	live: LiveDocument,
	peer: Peer
): (name: string) => void {
	const client = new Y.Doc();
	client.on('update', (update: Uint8Array) => registry.applyClientUpdate(live, peer, update));
	return (name) => void addAlly(client, { name, type: 'group' });
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));
async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('group commit', () => {
	it('puts everything applied while a commit is in flight into one next commit', async () => {
		const { registry, commits } = await setup();
		const live = await registry.open('room');
		const writer = recordingPeer();
		registry.attach(live, writer);
		registry.attach(live, recordingPeer());
		const edit = editor(registry, live, writer);
		edit('first');
		await nextTick(); // the first commit is now in flight
		for (let tick = 0; tick < 4; tick++) {
			edit(`during ${tick}`);
			await nextTick();
		}
		await registry.flush();
		expect(commits.map((docs) => docs.length)).toEqual([1, 4]);
	});

	it('asks for the next commit before it sends the relays of the one that just ended', async () => {
		const { storage, registry, commits } = await setup();
		const events: string[] = [];
		const append = storage.appendUpdates.bind(storage);
		storage.appendUpdates = (rows) => {
			events.push(`commit ${commits.length + 1}`);
			return append(rows);
		};
		const live = await registry.open('room');
		const writer = recordingPeer();
		const reader = recordingPeer();
		reader.send = () => void events.push(`relay after ${commits.length}`);
		registry.attach(live, writer);
		registry.attach(live, reader);
		const edit = editor(registry, live, writer);
		edit('first');
		await nextTick(); // the first commit is now in flight
		edit('second');
		await nextTick();
		await registry.flush();
		// The writer starts on the second commit while the first one's relay goes out; the relay
		// of the second one waits for its own commit.
		expect(events).toEqual(['commit 1', 'commit 2', 'relay after 2', 'relay after 2']);
	});

	it('hands an idle writer thread its commit at once, not a microtask later', async () => {
		const { storage } = await setup(0);
		const worker = storage.writer.worker!;
		const post = worker.postMessage.bind(worker);
		let posted = 0;
		worker.postMessage = (message: unknown) => {
			posted += 1;
			post(message);
		};
		const committed = storage.writer.append([{ doc: 'room', update: new Uint8Array([0, 0]) }]);
		expect(posted).toBe(1); // before any microtask has run
		expect(await committed).toHaveLength(1);
		// Asked while it is busy: queued behind the first.
		const first = storage.writer.append([{ doc: 'room', update: new Uint8Array([0, 0]) }]);
		const second = storage.writer.append([{ doc: 'room', update: new Uint8Array([0, 0]) }]);
		expect(posted).toBe(2);
		await Promise.all([first, second]);
		expect(posted).toBe(3);
	});

	it("answers a room with nothing uncommitted at once while another room's commit is in flight", async () => {
		const { registry } = await setup(200);
		const busy = await registry.open('busy');
		const quiet = await registry.open('quiet');
		const writer = recordingPeer();
		const joiner = recordingPeer();
		registry.attach(busy, writer);
		registry.attach(busy, recordingPeer());
		registry.attach(quiet, joiner);
		editor(registry, busy, writer)('slow');
		await nextTick();
		const asked = performance.now();
		registry.sendAfterCommit(quiet, joiner, new Uint8Array([0, 1, 0]));
		registry.acknowledgeAfterCommit(quiet, joiner, 1);
		await nextTick();
		expect(joiner.received).toHaveLength(1);
		expect(joiner.committed).toEqual([1]);
		expect(performance.now() - asked).toBeLessThan(100);
		expect(writer.committed).toEqual([]);
		await registry.flush();
	});

	it("holds a room's relays and acknowledgements until the commit holding its latest update, in order", async () => {
		const { registry } = await setup(100);
		const live = await registry.open('room');
		const writer = recordingPeer();
		const reader = recordingPeer();
		registry.attach(live, writer);
		registry.attach(live, reader);
		const edit = editor(registry, live, writer);
		edit('one');
		registry.acknowledgeAfterCommit(live, writer, 1);
		await nextTick();
		edit('two');
		registry.acknowledgeAfterCommit(live, writer, 2);
		await nextTick();
		// Both wait: 'one' in the commit in flight, 'two' in the next.
		expect(reader.received).toHaveLength(0);
		expect(writer.committed).toEqual([]);
		// A message queued now, with nothing new applied, still waits for 'two'.
		registry.sendAfterCommit(live, reader, new Uint8Array([9]));
		await until(() => writer.committed.length > 0); // the first commit is done, the second in flight
		expect(reader.received).toHaveLength(1);
		expect(writer.committed).toEqual([1]);
		await registry.flush();
		expect(reader.received).toHaveLength(3);
		expect(reader.received[2]).toEqual(new Uint8Array([9]));
		expect(writer.committed).toEqual([1, 2]);
		const [first, second] = reader.received.map((message) =>
			Buffer.from(message).toString('latin1')
		);
		expect(first).toContain('one');
		expect(second).toContain('two');
	});

	it('stores nothing sent while a failing commit was in flight, and relays and acknowledges none of it', async () => {
		const { registry, storage, commits } = await setup();
		const live = await registry.open('room');
		const writer = recordingPeer();
		const reader = recordingPeer();
		registry.attach(live, writer);
		registry.attach(live, reader);
		const append = storage.appendUpdates;
		storage.appendUpdates = async (rows) => {
			await append(rows).catch(() => {});
			throw new Error('disk I/O error');
		};
		const edit = editor(registry, live, writer);
		edit('fails');
		registry.acknowledgeAfterCommit(live, writer, 1);
		await nextTick();
		edit('sent meanwhile');
		registry.acknowledgeAfterCommit(live, writer, 2);
		const change = registry.changeDocument('room', (doc) =>
			addAlly(doc, { name: 'server', type: 'group' })
		);
		await expect(change).rejects.toBeInstanceOf(StorageFailure);
		await registry.flush();
		expect(commits).toHaveLength(1);
		expect(writer.closes).toEqual([CloseCode.storageFailure]);
		expect(reader.closes).toEqual([CloseCode.storageFailure]);
		expect(writer.committed).toEqual([]);
		expect(reader.received).toEqual([]);
		expect(registry.has('room')).toBe(false);
	});
});
