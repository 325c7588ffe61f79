/**
 * The document registry: one live Y.Doc per loaded workshop, loaded once under a per-document
 * lock, and the commit pipeline every change goes through. Updates applied in one event-loop tick
 * are appended to storage in one transaction; nothing derived from a document (peer updates,
 * answers to joiners, acknowledgements) leaves the server before that transaction commits.
 */
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { migrateDocument, SERVER_OWNED_ROOTS } from '../../src/lib/shared/schema';
import { CloseCode } from '../../src/lib/shared/close-codes';
import type { Storage } from '../storage/types';
import type { Logger } from '../log';
import { encodeAwareness, encodeSyncStep1, encodeUpdate } from './messages';
import { copyOwnedRoots, revertOwnedRoots, type OwnedCopy } from './owned-roots';

/** Transaction origin of changes made by the server itself. */
export const SERVER_ORIGIN = Symbol('server');
const LOAD_ORIGIN = Symbol('load');

/** A connection, as the registry sees it. */
export interface Peer {
	/** Sends a message if the connection is still open. */
	send(message: Uint8Array): void;
	/** Tells the peer that this many of its sync messages are committed (if it asked). */
	sendCommitted(count: number): void;
	close(code: number, reason: string): void;
	/** Batches the following sends into as few socket writes as possible, until `uncork`. */
	cork?(): void;
	uncork?(): void;
	/** Awareness client ids this connection controls. */
	readonly awarenessIds: Set<number>;
}

export interface LiveDocument {
	readonly name: string;
	readonly doc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	readonly peers: Set<Peer>;
	/** Bytes stored for the document (snapshot + log), counting what is being committed. */
	bytes: number;
	logRows: number;
	logBytes: number;
	lastRowId: number;
	/** Server write paths currently using the document. */
	holds: number;
	unloadTimer: ReturnType<typeof setTimeout> | null;
	dropped: boolean;
	/** The server-owned roots as the server last wrote them: what a forged write is reverted to. */
	readonly owned: OwnedCopy;
}

/** The updates one client message caused, held back so a forged write and its revert go out as one. */
interface Capture {
	live: LiveDocument;
	peer: Peer;
	updates: Uint8Array[];
	reverts: Uint8Array[];
	forgedRoots: Set<string>;
	reverting: boolean;
}

/** Called after every transaction a client's update caused, with the roots it touched. */
export type ClientWriteHook = (write: {
	live: LiveDocument;
	peer: Peer;
	roots: Set<string>;
	serverOwned: string[];
}) => void;

export interface RegistryOptions {
	storage: Storage;
	log: Logger;
	graceMs: number;
	maxDocumentBytes: number;
	/** Bytes of updates waiting for missing dependencies a document may hold. */
	maxPendingBytes: number;
	compaction: { rows: number; bytes: number };
	onClientWrite?: ClientWriteHook;
	/**
	 * Runs on each loaded document before its shape migrations, to move data a migration removes
	 * from the document into storage first; if it fails, the load fails and nothing is changed.
	 */
	beforeMigrate?: (name: string, doc: Y.Doc) => Promise<void>;
}

export type ApplyResult = 'applied' | 'malformed' | 'full';

interface Batch {
	rows: { live: LiveDocument; update: Uint8Array }[];
	/** When the batch's first update was applied (performance.now()), for `timings.held`. */
	firstAppliedAt: number;
	outbox: { live: LiveDocument; peer: Peer; message: Uint8Array }[];
	acks: Map<Peer, { live: LiveDocument; count: number }>;
	waiters: { live: LiveDocument; resolve: () => void; reject: (error: Error) => void }[];
}

export class StorageFailure extends Error {}

/**
 * What committing before broadcasting costs, in microseconds (GET /metrics, the benchmarks):
 * `commit` is the storage write alone (fsync included); `held` runs from the apply of a batch's
 * first update until the batch is committed and may be relayed, so it adds the wait for the tick to
 * end and for an earlier commit still in progress.
 */
export interface CommitTimings {
	readonly commit: RecordableHistogram;
	readonly held: RecordableHistogram;
}

export class DocumentRegistry {
	readonly #docs = new Map<string, LiveDocument>();
	readonly #loading = new Map<string, Promise<LiveDocument>>();
	#batch: Batch = emptyBatch();
	#scheduled = false;
	#chain: Promise<void> = Promise.resolve();
	#storageHealthy = true;
	#closed = false;
	#capture: Capture | null = null;
	readonly timings: CommitTimings = { commit: createHistogram(), held: createHistogram() };

	constructor(readonly options: RegistryOptions) {}

	get storageHealthy(): boolean {
		return this.#storageHealthy;
	}

	get size(): number {
		return this.#docs.size;
	}

	has(name: string): boolean {
		return this.#docs.has(name);
	}

	/** The loaded document, loading it (once, however many callers) if needed. */
	open(name: string): Promise<LiveDocument> {
		if (this.#closed) return Promise.reject(new Error('registry closed'));
		const live = this.#docs.get(name);
		if (live) {
			this.#cancelUnload(live);
			return Promise.resolve(live);
		}
		let loading = this.#loading.get(name);
		if (!loading) {
			loading = this.#load(name).finally(() => this.#loading.delete(name));
			this.#loading.set(name, loading);
		}
		return loading;
	}

	attach(live: LiveDocument, peer: Peer): void {
		this.#cancelUnload(live);
		live.peers.add(peer);
	}

	detach(live: LiveDocument, peer: Peer): void {
		if (!live.peers.delete(peer)) return;
		if (peer.awarenessIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(live.awareness, [...peer.awarenessIds], null);
		}
		this.#scheduleUnload(live);
	}

	/** Applies a client's update (V1 only: the V2 decoders can hang on crafted input, Yjs #687). */
	applyClientUpdate(live: LiveDocument, peer: Peer, update: Uint8Array): ApplyResult {
		// An update that carries nothing (a reader's sync step 2) never counts against the cap.
		if (!isEmptyUpdate(update) && live.bytes + update.length > this.options.maxDocumentBytes) return 'full';
		const capture: Capture = { live, peer, updates: [], reverts: [], forgedRoots: new Set(), reverting: false };
		this.#capture = capture;
		try {
			Y.applyUpdate(live.doc, update, peer);
			if (capture.forgedRoots.size > 0) {
				capture.reverting = true;
				live.doc.transact((transaction) => revertOwnedRoots(transaction, capture.forgedRoots, live.owned), SERVER_ORIGIN);
			}
		} catch {
			return 'malformed';
		} finally {
			this.#capture = null;
			this.#release(capture);
		}
		// Updates whose dependencies never arrived wait in memory, unstored and uncounted, and make
		// every later apply slower: an honest client never piles them up, so past a cap drop them.
		const { store } = live.doc;
		const pendingBytes = (store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0);
		if (pendingBytes > this.options.maxPendingBytes) {
			store.pendingStructs = null;
			store.pendingDs = null;
			return 'malformed';
		}
		return 'applied';
	}

	/** Sends `message` to `peer` once everything applied so far is committed. */
	sendAfterCommit(live: LiveDocument, peer: Peer, message: Uint8Array): void {
		this.#batch.outbox.push({ live, peer, message });
		this.#schedule();
	}

	/** Acknowledges `count` sync messages of `peer` once everything applied so far is committed. */
	acknowledgeAfterCommit(live: LiveDocument, peer: Peer, count: number): void {
		this.#batch.acks.set(peer, { live, count });
		this.#schedule();
	}

	/**
	 * The server write path: applies `change` to the document in a server transaction and resolves
	 * once it is committed (and then broadcast). Rejects if storage fails.
	 */
	async changeDocument(name: string, change: (doc: Y.Doc) => void): Promise<void> {
		const live = await this.open(name);
		live.holds++;
		try {
			live.doc.transact(() => change(live.doc), SERVER_ORIGIN);
			await new Promise<void>((resolve, reject) => {
				this.#batch.waiters.push({ live, resolve, reject });
				this.#schedule();
			});
		} finally {
			live.holds--;
			this.#scheduleUnload(live);
		}
	}

	/**
	 * Asks every connected client for what the server lacks: a sync step 1 with the server's state
	 * vector, which y-websocket clients answer with a sync step 2 of everything missing (deletions
	 * included). For writes the server dropped, e.g. while the workshop was archived.
	 */
	requestMissing(name: string): void {
		const live = this.#docs.get(name);
		if (!live) return;
		const message = encodeSyncStep1(Y.encodeStateVector(live.doc));
		for (const peer of live.peers) this.sendAfterCommit(live, peer, message);
	}

	/**
	 * Reads the document (loading it if needed) without keeping it in memory afterwards: a read
	 * alone must not cancel the unload of a document nobody is connected to.
	 */
	async readDocument<T>(name: string, read: (doc: Y.Doc) => T): Promise<T> {
		const live = await this.open(name);
		try {
			return read(live.doc);
		} finally {
			this.#scheduleUnload(live);
		}
	}

	/** Resolves once everything applied so far is committed (or has failed). */
	flush(): Promise<void> {
		this.#commitNow();
		return this.#chain;
	}

	/** Closes every connection with `code`, commits what is pending and unloads everything. */
	async close(code: number = CloseCode.shutdown, reason = 'server shutting down'): Promise<void> {
		this.#closed = true;
		for (const live of this.#docs.values()) {
			for (const peer of live.peers) peer.close(code, reason);
		}
		await Promise.allSettled(this.#loading.values());
		await this.flush();
		for (const live of [...this.#docs.values()]) this.#drop(live);
	}

	/** Closes a document's connections and forgets it (e.g. after a failed commit). */
	closeDocument(name: string, code: number, reason: string): void {
		const live = this.#docs.get(name);
		if (!live) return;
		for (const peer of live.peers) peer.close(code, reason);
		this.#drop(live);
	}

	async #load(name: string): Promise<LiveDocument> {
		// A failed load throws here and writes nothing: stored data is never overwritten.
		const stored = await this.options.storage.loadDocument(name);
		const doc = new Y.Doc();
		doc.transact(() => {
			if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
			for (const row of stored.updates) Y.applyUpdate(doc, row.data);
		}, LOAD_ORIGIN);
		await this.options.beforeMigrate?.(name, doc);
		const awareness = new awarenessProtocol.Awareness(doc);
		awareness.setLocalState(null);
		const live: LiveDocument = {
			name,
			doc,
			awareness,
			peers: new Set(),
			bytes: stored.bytes,
			logRows: stored.updates.length,
			logBytes: stored.updates.reduce((sum, row) => sum + row.data.length, 0),
			lastRowId: stored.updates.at(-1)?.id ?? 0,
			holds: 0,
			unloadTimer: null,
			dropped: false,
			owned: copyOwnedRoots(doc)
		};
		doc.on('update', (update: Uint8Array, origin: unknown) => this.#onUpdate(live, update, origin));
		doc.on('afterTransaction', (transaction: Y.Transaction) => this.#onTransaction(live, transaction));
		awareness.on('update', (changes: AwarenessChanges, origin: unknown) =>
			this.#onAwareness(live, changes, origin)
		);
		this.#docs.set(name, live);
		doc.transact(() => migrateDocument(doc), SERVER_ORIGIN);
		this.#scheduleUnload(live);
		return live;
	}

	#onUpdate(live: LiveDocument, update: Uint8Array, origin: unknown): void {
		// Server-encoded bytes (from Yjs's own encoder), never the raw client bytes.
		if (this.#batch.rows.length === 0) this.#batch.firstAppliedAt = performance.now();
		this.#batch.rows.push({ live, update });
		live.bytes += update.length;
		const capture = this.#capture;
		if (capture?.live === live) {
			(capture.reverting ? capture.reverts : capture.updates).push(update);
		} else {
			this.#relay(live, update, origin);
		}
		this.#schedule();
	}

	#relay(live: LiveDocument, update: Uint8Array, except: unknown): void {
		const message = encodeUpdate(update);
		for (const peer of live.peers) {
			if (peer !== except) this.#batch.outbox.push({ live, peer, message });
		}
	}

	/**
	 * Sends what one client message caused. A forged write goes to the others merged with its
	 * revert, so no other client ever holds the forged state; its sender gets the revert.
	 */
	#release(capture: Capture): void {
		const { live, peer, updates, reverts } = capture;
		if (reverts.length === 0) {
			for (const update of updates) this.#relay(live, update, peer);
			return;
		}
		// Server-encoded V1 updates only (V2 merging can hang on crafted input, Yjs #687).
		const merged = encodeUpdate(Y.mergeUpdates([...updates, ...reverts]));
		const revert = encodeUpdate(Y.mergeUpdates(reverts));
		for (const target of live.peers) {
			this.#batch.outbox.push({ live, peer: target, message: target === peer ? revert : merged });
		}
	}

	#onTransaction(live: LiveDocument, transaction: Y.Transaction): void {
		if (transaction.changed.size === 0) return;
		const origin = transaction.origin;
		if (origin === SERVER_ORIGIN) {
			// The server's own writes are the reference a forged write is reverted to.
			const roots = [...rootsTouched(live.doc, transaction)].filter((root) => SERVER_OWNED_ROOTS.has(root));
			if (roots.length > 0) copyOwnedRoots(live.doc, roots, live.owned);
			return;
		}
		if (!origin || typeof origin !== 'object' || !live.peers.has(origin as Peer)) return;
		const roots = rootsTouched(live.doc, transaction);
		const serverOwned = [...roots].filter((root) => SERVER_OWNED_ROOTS.has(root));
		const capture = this.#capture;
		if (capture?.live === live) for (const root of serverOwned) capture.forgedRoots.add(root);
		this.options.onClientWrite?.({ live, peer: origin as Peer, roots, serverOwned });
	}

	#onAwareness(live: LiveDocument, changes: AwarenessChanges, origin: unknown): void {
		const peer = live.peers.has(origin as Peer) ? (origin as Peer) : null;
		if (peer) {
			for (const id of [...changes.added, ...changes.updated]) peer.awarenessIds.add(id);
			for (const id of changes.removed) peer.awarenessIds.delete(id);
		}
		// Only what someone would see goes out: a state that appeared, changed (the server's stamped
		// identity included) or went. A renewal (the same state with a later clock, every 15 s per
		// client) goes to nobody: relayed, it cost each phone ~0.6 KB/min per person in the room.
		// Connections stay inside y-websocket's 30 s watchdog through YjsConnection.keepAlive, and
		// the app keeps others' presence until the server removes it (board-connection.ts).
		let relayed = relayedPresence.get(live.awareness);
		if (!relayed) relayedPresence.set(live.awareness, (relayed = new Map()));
		const states = live.awareness.getStates();
		const changed: number[] = [];
		for (const id of [...changes.added, ...changes.updated]) {
			const json = JSON.stringify(states.get(id) ?? null);
			if (relayed.get(id) === json) continue;
			relayed.set(id, json);
			changed.push(id);
		}
		for (const id of changes.removed) {
			relayed.delete(id);
			changed.push(id);
		}
		if (changed.length === 0) return;
		// Not back to the sender: its own entry never comes back changed (same clock), and a
		// y-websocket client would send it back again (yjs/yjs#732).
		const message = encodeAwareness(live.awareness, changed);
		for (const target of live.peers) if (target !== peer) target.send(message);
	}

	#schedule(): void {
		if (this.#scheduled) return;
		this.#scheduled = true;
		setImmediate(() => this.#commitNow());
	}

	#commitNow(): void {
		this.#scheduled = false;
		const batch = this.#batch;
		if (isEmpty(batch)) return;
		this.#batch = emptyBatch();
		this.#chain = this.#chain.then(() => this.#commit(batch));
	}

	async #commit(batch: Batch): Promise<void> {
		let ids: number[];
		const started = performance.now();
		try {
			ids = await this.options.storage.appendUpdates(
				batch.rows.map((row) => ({ doc: row.live.name, update: row.update }))
			);
		} catch (error) {
			this.#failBatch(batch, error);
			return;
		}
		if (batch.rows.length > 0) {
			const committed = performance.now();
			recordMicros(this.timings.commit, committed - started);
			recordMicros(this.timings.held, committed - batch.firstAppliedAt);
		}
		this.#storageHealthy = true;
		const touched = new Set<LiveDocument>();
		batch.rows.forEach((row, index) => {
			row.live.lastRowId = ids[index];
			row.live.logRows += 1;
			row.live.logBytes += row.update.length;
			touched.add(row.live);
		});
		// One socket write per peer per commit instead of one per message.
		const corked = new Set<Peer>();
		for (const { live, peer, message } of batch.outbox) {
			if (live.dropped) continue;
			if (!corked.has(peer)) {
				corked.add(peer);
				peer.cork?.();
			}
			peer.send(message);
		}
		for (const [peer, { live, count }] of batch.acks) {
			if (!live.dropped) peer.sendCommitted(count);
		}
		for (const peer of corked) peer.uncork?.();
		for (const waiter of batch.waiters) waiter.resolve();
		for (const live of touched) await this.#maybeCompact(live);
	}

	#failBatch(batch: Batch, error: unknown): void {
		this.#storageHealthy = false;
		const affected = new Set<LiveDocument>();
		for (const row of batch.rows) affected.add(row.live);
		for (const entry of batch.outbox) affected.add(entry.live);
		for (const { live } of batch.acks.values()) affected.add(live);
		for (const waiter of batch.waiters) affected.add(waiter.live);
		this.options.log.error(
			{ err: error, documents: [...affected].map((live) => live.name), rows: batch.rows.length },
			'commit failed: closing the documents so clients reconnect and re-send'
		);
		// Clients re-send what the server lacks on reconnect; the document reloads from disk.
		for (const live of affected) {
			for (const peer of live.peers) peer.close(CloseCode.storageFailure, 'storage failure');
			this.#drop(live);
		}
		const failure = new StorageFailure('storage failure: the change was not saved');
		for (const waiter of batch.waiters) waiter.reject(failure);
	}

	async #maybeCompact(live: LiveDocument): Promise<void> {
		const { rows, bytes } = this.options.compaction;
		if (live.dropped || (live.logRows < rows && live.logBytes < bytes)) return;
		// The in-memory state covers every committed row (and perhaps pending ones: replaying
		// those again later is harmless), so it can replace the log up to lastRowId.
		const snapshot = Y.encodeStateAsUpdate(live.doc);
		const upto = live.lastRowId;
		try {
			await this.options.storage.compactDocument(live.name, snapshot, upto);
			live.logRows = 0;
			live.logBytes = 0;
			live.bytes = snapshot.length;
			this.options.log.debug({ document: live.name, upto, bytes: snapshot.length }, 'compacted');
		} catch (error) {
			this.options.log.warn({ err: error, document: live.name }, 'compaction failed; the log is kept');
		}
	}

	#scheduleUnload(live: LiveDocument): void {
		if (live.dropped || live.peers.size > 0 || live.holds > 0 || live.unloadTimer) return;
		live.unloadTimer = setTimeout(async () => {
			live.unloadTimer = null;
			// Commit first, so a reload right after never misses a pending update.
			await this.flush();
			if (live.peers.size === 0 && live.holds === 0 && !live.unloadTimer) this.#drop(live);
		}, this.options.graceMs);
		live.unloadTimer.unref?.();
	}

	#cancelUnload(live: LiveDocument): void {
		if (live.unloadTimer) clearTimeout(live.unloadTimer);
		live.unloadTimer = null;
	}

	#drop(live: LiveDocument): void {
		if (live.dropped) return;
		live.dropped = true;
		this.#cancelUnload(live);
		if (this.#docs.get(live.name) === live) this.#docs.delete(live.name);
		live.peers.clear();
		live.awareness.destroy();
		live.doc.destroy();
	}
}

/** The names of the root types a transaction changed (deletions included). */
export function rootsTouched(doc: Y.Doc, transaction: Y.Transaction): Set<string> {
	const roots = new Set<Y.AbstractType<any>>();
	for (const type of transaction.changed.keys()) {
		let current: Y.AbstractType<any> = type;
		while (current._item) current = current._item.parent as Y.AbstractType<any>;
		roots.add(current);
	}
	// A handful of roots: look their names up only for the roots actually touched.
	const names = new Set<string>();
	for (const [name, type] of doc.share) if (roots.has(type)) names.add(name);
	return names;
}

/** A V1 update with no structs and no deletions: what a client with nothing new sends. */
function isEmptyUpdate(update: Uint8Array): boolean {
	return update.length === 2 && update[0] === 0 && update[1] === 0;
}

type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] };

/** Per document's awareness: the JSON of each state as last relayed, to tell a change from a renewal. */
const relayedPresence = new WeakMap<awarenessProtocol.Awareness, Map<number, string>>();

function emptyBatch(): Batch {
	return { rows: [], firstAppliedAt: 0, outbox: [], acks: new Map(), waiters: [] };
}

function recordMicros(histogram: RecordableHistogram, ms: number): void {
	histogram.record(Math.max(1, Math.round(ms * 1000)));
}

function isEmpty(batch: Batch): boolean {
	return (
		batch.rows.length === 0 &&
		batch.outbox.length === 0 &&
		batch.acks.size === 0 &&
		batch.waiters.length === 0
	);
}
