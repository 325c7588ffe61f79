/**
 * The document registry: one live Y.Doc per loaded workshop, loaded once under a per-document
 * lock, and the commit pipeline every change goes through. Updates are appended to storage in
 * group commits (everything applied while one commit is in flight goes into the next, one
 * transaction); nothing derived from a document (peer updates, answers to joiners,
 * acknowledgements) leaves the server before the commit holding its latest update.
 */
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { migrateDocument, SERVER_OWNED_ROOTS } from '../../src/lib/shared/schema';
import { CloseCode } from '../../src/lib/shared/close-codes';
import type { Storage } from '../../src/lib/server/ports/storage';
import type { Logger } from '../log';
import { encodeAwareness, encodeSyncStep1, encodeUpdate } from './messages';
import {
	copyOwnedRoots,
	foldOwnedRecords,
	fullRecord,
	hasOwnedValues,
	recordServerWrite,
	revertOwnedRoots,
	type OwnedCopy
} from './owned-roots';
import { findAcceptedRoleChanges, type Writer } from './accepted-roles';

/** Transaction origin of changes made by the server itself. */
export const SERVER_ORIGIN = Symbol('server');
const LOAD_ORIGIN = Symbol('load');
/** Transaction origin of an imported workshop file's state. */
const IMPORT_ORIGIN = Symbol('import');

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
	/** Who this is (for the rules narrower than "any member edits"). */
	readonly writer?: Writer;
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
	/** The server-owned roots as the server itself wrote them: what a forged write is reverted to. */
	readonly owned: OwnedCopy;
	/** This round of transactions (see #release): its updates, relayed together at its end. */
	readonly held: { update: Uint8Array; origin: unknown }[];
	/** Whether this round reverted a client's write. */
	reverted: boolean;
	/** What waited for missing dependencies when the round began (Yjs replaces it once it retries). */
	pendingBefore: [unknown, unknown];
	/** The owned-roots record of the server transaction whose update comes next. */
	ownedRecord: string | null;
	/** Whether the stored log has a full owned-roots record to fold from (owned-roots.ts). */
	hasBaseline: boolean;
	revertFailed: boolean;
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
	/**
	 * The server's owned-roots copy of a document stored before owned-roots records existed
	 * (owned-rebuild.ts); without it, such a document's own values are taken.
	 */
	rebuildOwned?: (name: string, doc: Y.Doc) => Promise<OwnedCopy>;
}

export type ApplyResult = 'applied' | 'malformed' | 'full';

interface Batch {
	rows: { live: LiveDocument; update: Uint8Array; owned: string | null }[];
	/** When the batch's first update was applied (performance.now()), for `timings.held`. */
	firstAppliedAt: number;
	outbox: { live: LiveDocument; peer: Peer; message: Uint8Array }[];
	acks: Map<Peer, { live: LiveDocument; count: number }>;
	waiters: { live: LiveDocument; resolve: () => void; reject: (error: Error) => void }[];
	/** Resolves once the batch is committed or has failed (never rejects). */
	settled: Promise<void>;
	markSettled: () => void;
}

export class StorageFailure extends Error {}

/** Outside DOC_NAME_PATTERN (the colon): no client can name it, no workshop has its id. */
const HEALTH_PROBE_DOC = ':health-probe';

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
	/** What the current tick applied and queued. */
	#batch: Batch = emptyBatch();
	#scheduled = false;
	/** The batch being committed, and the one collecting every tick's updates meanwhile. */
	#inFlight: Batch | null = null;
	#next: Batch | null = null;
	/** Per document, the uncommitted batch holding its latest update: what its messages wait for. */
	readonly #waitingOn = new Map<LiveDocument, Batch>();
	readonly #compacting = new Set<LiveDocument>();
	/** Documents dropped because a commit failed: their later changes were not saved. */
	readonly #failed = new WeakSet<LiveDocument>();
	/** Settles once every batch and compaction started so far has (what `flush` waits for). */
	#chain: Promise<void> = Promise.resolve();
	#storageHealthy = true;
	#closed = false;
	readonly timings: CommitTimings = { commit: createHistogram(), held: createHistogram() };

	constructor(readonly options: RegistryOptions) {}

	get storageHealthy(): boolean {
		return this.#storageHealthy;
	}

	/**
	 * Whether commits work, for /healthz. After a failed commit, only a commit through the same
	 * path proves they work again: a probe row is appended (a real write to the update log, where a
	 * write check that changes nothing could pass on a full disk) and deleted. Without the probe an
	 * instance would stay unhealthy until a client's edit committed, and a balancer that stopped
	 * sending it clients on 503 would never see it recover.
	 */
	async probeStorage(): Promise<boolean> {
		if (this.#storageHealthy) return true;
		try {
			await this.options.storage.appendUpdates([{ doc: HEALTH_PROBE_DOC, update: EMPTY_UPDATE }]);
			await this.options.storage.deleteDocument(HEALTH_PROBE_DOC);
			this.#storageHealthy = true;
			return true;
		} catch {
			return false;
		}
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

	/**
	 * Applies a client's update (V1 only: the V2 decoders can hang on crafted input, Yjs #687).
	 * An update that throws half-way ('malformed') may still have integrated its structs: what it
	 * integrated stays, is checked and reverted like any other client write (#onTransaction), and
	 * is stored and relayed with its revert, so the server, its peers and the disk agree.
	 */
	applyClientUpdate(live: LiveDocument, peer: Peer, update: Uint8Array): ApplyResult {
		// An update that carries nothing (a reader's sync step 2) never counts against the cap.
		if (!isEmptyUpdate(update) && live.bytes + update.length > this.options.maxDocumentBytes)
			return 'full';
		try {
			Y.applyUpdate(live.doc, update, peer);
		} catch {
			return 'malformed';
		}
		// Updates whose dependencies never arrived wait in memory, unstored and uncounted, and make
		// every later apply slower: an honest client never piles them up, so past a cap drop them.
		const { store } = live.doc;
		const pendingBytes =
			(store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0);
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
		const recorded = foldOwnedRecords([
			stored.snapshotOwned,
			...stored.updates.map((row) => row.owned)
		]);
		const isNew = stored.snapshot === null && stored.updates.length === 0;
		// A new document's owned roots are empty: the server has written nothing yet.
		const owned = recorded ?? (isNew ? new Map() : await this.#rebuildOwned(name, doc));
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
			owned,
			held: [],
			reverted: false,
			pendingBefore: [null, null],
			ownedRecord: null,
			hasBaseline: recorded !== null,
			revertFailed: false
		};
		doc.on('beforeAllTransactions', () => this.#beginRound(live));
		doc.on('update', (update: Uint8Array, origin: unknown) => this.#onUpdate(live, update, origin));
		doc.on('afterTransaction', (transaction: Y.Transaction) =>
			this.#onTransaction(live, transaction)
		);
		doc.on('afterAllTransactions', () => this.#release(live));
		awareness.on('update', (changes: AwarenessChanges, origin: unknown) =>
			this.#onAwareness(live, changes, origin)
		);
		this.#docs.set(name, live);
		// Whatever the stored document holds in an owned root that the server did not write (a
		// forgery an earlier version let through) goes back to the server's copy, in this commit.
		doc.transact(
			(transaction) => revertOwnedRoots(transaction, SERVER_OWNED_ROOTS, owned),
			SERVER_ORIGIN
		);
		// The repair above, if it changed anything, was a server write and carried the whole copy.
		if (!live.hasBaseline && hasOwnedValues(owned)) {
			// The baseline the next loads fold from: an empty update carrying the whole copy. (With
			// nothing in the owned roots there is nothing to pin: the next load rebuilds the same.)
			this.#batch.rows.push({ live, update: EMPTY_UPDATE, owned: fullRecord(owned) });
			live.hasBaseline = true;
			this.#schedule();
		}
		doc.transact(() => migrateDocument(doc), SERVER_ORIGIN);
		this.#scheduleUnload(live);
		return live;
	}

	async #rebuildOwned(name: string, doc: Y.Doc): Promise<OwnedCopy> {
		return (await this.options.rebuildOwned?.(name, doc)) ?? copyOwnedRoots(doc);
	}

	#beginRound(live: LiveDocument): void {
		const { store } = live.doc;
		live.pendingBefore = [store.pendingStructs, store.pendingDs];
	}

	#onUpdate(live: LiveDocument, update: Uint8Array, origin: unknown): void {
		// Server-encoded bytes (from Yjs's own encoder), never the raw client bytes.
		if (this.#batch.rows.length === 0) this.#batch.firstAppliedAt = performance.now();
		let owned: string | null = null;
		if (origin === SERVER_ORIGIN) {
			// The document's first server row carries the whole copy: the baseline later loads fold from.
			owned = live.hasBaseline ? live.ownedRecord : fullRecord(live.owned);
			live.hasBaseline = true;
		}
		live.ownedRecord = null;
		this.#batch.rows.push({ live, update, owned });
		live.bytes += update.length;
		live.held.push({ update, origin });
		this.#schedule();
	}

	#relay(live: LiveDocument, update: Uint8Array, except: unknown): void {
		const message = encodeUpdate(update);
		for (const peer of live.peers) {
			if (peer !== except) this.#batch.outbox.push({ live, peer, message });
		}
	}

	/**
	 * The end of a round of transactions: one `Y.applyUpdate` (whether it returned or threw) or one
	 * server write, with every transaction its observers started (a revert). Its updates are
	 * relayed only now, so a forged write never leaves without its revert: then the round goes out
	 * merged into one update, to everyone, so no other client ever holds the forged state. So it
	 * does when the round integrated updates that had waited for a dependency, which the sender
	 * lacks too. Otherwise each update goes to everyone but the client it came from.
	 */
	#release(live: LiveDocument): void {
		const held = live.held.splice(0);
		const merge = live.reverted || this.#retriedPending(live);
		live.reverted = false;
		live.pendingBefore = [null, null];
		if (live.revertFailed) return this.#discard(live);
		if (held.length === 0 || live.dropped) return;
		if (!merge) {
			for (const { update, origin } of held) this.#relay(live, update, origin);
			return;
		}
		// Server-encoded V1 updates only (V2 merging can hang on crafted input, Yjs #687).
		const message = encodeUpdate(
			held.length === 1 ? held[0].update : Y.mergeUpdates(held.map((entry) => entry.update))
		);
		for (const peer of live.peers) this.#batch.outbox.push({ live, peer, message });
	}

	/** Whether the round retried what waited (and so may have integrated someone else's structs). */
	#retriedPending(live: LiveDocument): boolean {
		const { store } = live.doc;
		const [structs, deletions] = live.pendingBefore;
		return (
			(structs !== null && store.pendingStructs !== structs) ||
			(deletions !== null && store.pendingDs !== deletions)
		);
	}

	/**
	 * Every transaction that is not the server's own — a client's update, whole or half-applied,
	 * or structs that waited for a dependency and integrate inside someone else's update — is
	 * checked here, inside Yjs's transaction cleanup, and a write to a server-owned root is
	 * reverted at once, in a transaction of the same round (#release) and so in the same commit.
	 */
	#onTransaction(live: LiveDocument, transaction: Y.Transaction): void {
		if (transaction.changed.size === 0) return;
		const origin = transaction.origin;
		const roots = rootsTouched(live.doc, transaction);
		const serverOwned = [...roots].filter((root) => SERVER_OWNED_ROOTS.has(root));
		if (origin === SERVER_ORIGIN) {
			// The server's own writes are the reference a forged write is reverted to.
			if (serverOwned.length > 0)
				live.ownedRecord = recordServerWrite(transaction, serverOwned, live.owned);
			return;
		}
		const peer = live.peers.has(origin as Peer) ? (origin as Peer) : null;
		// Accepted roles (accepted-roles.ts) are guarded like owned roots, by who may change them.
		const repairs = roots.has('tasks') ? findAcceptedRoleChanges(transaction, peer?.writer) : [];
		if (serverOwned.length > 0 || repairs.length > 0) {
			live.reverted = true;
			try {
				live.doc.transact((revert) => {
					revertOwnedRoots(revert, serverOwned, live.owned);
					for (const { roles, allyId, role } of repairs) roles.set(allyId, role);
				}, SERVER_ORIGIN);
			} catch (error) {
				// Never reached in practice; if it were, the forged state must not be kept.
				this.options.log.error(
					{ err: error, document: live.name },
					'revert failed: discarding the document'
				);
				live.revertFailed = true;
			}
		}
		if (peer) this.options.onClientWrite?.({ live, peer, roots, serverOwned });
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

	/**
	 * Ends the tick. Its updates join the next commit: group commit, so everything applied while a
	 * commit is in flight goes into one transaction once it ends. What the tick queued for a
	 * document waits for the commit holding that document's latest update, or goes at once when
	 * the document has nothing uncommitted: one room's slow commit never holds another room back.
	 */
	#commitNow(): void {
		this.#scheduled = false;
		const tick = this.#batch;
		if (isEmpty(tick)) return;
		this.#batch = emptyBatch();
		if (tick.rows.length > 0) {
			if (!this.#next) {
				this.#next = emptyBatch();
				this.#next.firstAppliedAt = tick.firstAppliedAt;
				this.#chain = Promise.all([this.#chain, this.#next.settled]).then(() => {});
			}
			for (const row of tick.rows) {
				this.#next.rows.push(row);
				this.#waitingOn.set(row.live, this.#next);
			}
		}
		const now = emptyBatch();
		for (const entry of tick.outbox) (this.#waitingOn.get(entry.live) ?? now).outbox.push(entry);
		for (const [peer, ack] of tick.acks) (this.#waitingOn.get(ack.live) ?? now).acks.set(peer, ack);
		for (const waiter of tick.waiters)
			(this.#waitingOn.get(waiter.live) ?? now).waiters.push(waiter);
		this.#deliver(now);
		if (this.#next && !this.#inFlight) this.#start(this.#next);
	}

	#start(batch: Batch): void {
		this.#commit(batch).catch((error) =>
			this.options.log.error({ err: error }, 'commit pipeline failed')
		);
	}

	async #commit(batch: Batch): Promise<void> {
		this.#inFlight = batch;
		if (this.#next === batch) this.#next = null;
		// A document dropped since it was applied (a failed commit, a deletion) stores nothing more:
		// its clients reconnect and re-send, and a deleted workshop's log stays deleted.
		const rows = batch.rows.filter((row) => !row.live.dropped);
		let ids: number[] = [];
		const started = performance.now();
		try {
			const updates = rows.map((row) => ({
				doc: row.live.name,
				update: row.update,
				owned: row.owned
			}));
			if (updates.length > 0) ids = await this.options.storage.appendUpdates(updates);
		} catch (error) {
			this.#failBatch(batch, error);
			this.#settle(batch);
			return;
		}
		const touched = new Set<LiveDocument>();
		if (rows.length > 0) {
			const committed = performance.now();
			recordMicros(this.timings.commit, committed - started);
			recordMicros(this.timings.held, committed - batch.firstAppliedAt);
			this.#storageHealthy = true;
		}
		rows.forEach((row, index) => {
			row.live.lastRowId = ids[index];
			row.live.logRows += 1;
			row.live.logBytes += row.update.length;
			touched.add(row.live);
		});
		// The next commit first: the writer starts on it while this one's relays are sent.
		this.#settle(batch);
		this.#deliver(batch);
		// Queued behind the commit that just started: a compaction never delays the next commit.
		for (const live of touched) this.#maybeCompact(live);
	}

	/** The batch is done (committed or failed): documents stop waiting on it; the next one starts. */
	#settle(batch: Batch): void {
		for (const { live } of batch.rows) {
			if (this.#waitingOn.get(live) === batch) this.#waitingOn.delete(live);
		}
		this.#inFlight = null;
		batch.markSettled();
		if (this.#next) this.#start(this.#next);
	}

	/** Sends what a committed batch (or one with nothing to wait for) holds, in order per peer. */
	#deliver(batch: Batch): void {
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
		for (const waiter of batch.waiters) {
			// Left out of the commit after its document's failed one; a deleted document's changes
			// are left out too, and there is nothing left to save them to.
			if (!this.#failed.has(waiter.live)) waiter.resolve();
			else waiter.reject(new StorageFailure('storage failure: the change was not saved'));
		}
	}

	/**
	 * Forgets a document whose in-memory state must not be kept, with nothing of it committed from
	 * the current batch: clients reconnect and the document reloads from disk.
	 */
	#discard(live: LiveDocument): void {
		const batch = this.#batch;
		batch.rows = batch.rows.filter((row) => row.live !== live);
		batch.outbox = batch.outbox.filter((entry) => entry.live !== live);
		for (const [peer, ack] of batch.acks) if (ack.live === live) batch.acks.delete(peer);
		const failure = new StorageFailure('the change was not saved');
		for (const waiter of batch.waiters.filter((entry) => entry.live === live))
			waiter.reject(failure);
		batch.waiters = batch.waiters.filter((entry) => entry.live !== live);
		for (const peer of live.peers) peer.close(CloseCode.storageFailure, 'document reloads');
		this.#drop(live);
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
		// Clients re-send what the server lacks on reconnect; the document reloads from disk. What
		// they sent while this commit was in flight is left out of the next one (it may depend on
		// what failed): it is neither stored nor relayed nor acknowledged, and is re-sent too.
		for (const live of affected) {
			for (const peer of live.peers) peer.close(CloseCode.storageFailure, 'storage failure');
			this.#failed.add(live);
			this.#drop(live);
		}
		const failure = new StorageFailure('storage failure: the change was not saved');
		for (const waiter of batch.waiters) waiter.reject(failure);
	}

	/** Compacts off the commit path: the writer runs it after the commits asked before it. */
	#maybeCompact(live: LiveDocument): void {
		const { rows, bytes } = this.options.compaction;
		if (live.dropped || this.#compacting.has(live)) return;
		if (live.logRows < rows && live.logBytes < bytes) return;
		// The in-memory state covers every committed row (and perhaps pending ones: replaying
		// those again later is harmless), so it can replace the log up to lastRowId.
		const snapshot = Y.encodeStateAsUpdate(live.doc);
		const upto = live.lastRowId;
		const covered = { rows: live.logRows, bytes: live.logBytes };
		this.#compacting.add(live);
		const compaction = this.options.storage
			.compactDocument(live.name, snapshot, upto, fullRecord(live.owned))
			.then(
				() => {
					// Rows committed while it ran stay in the log, after the snapshot.
					live.logRows -= covered.rows;
					live.logBytes -= covered.bytes;
					live.bytes = snapshot.length + live.logBytes;
					this.options.log.debug(
						{ document: live.name, upto, bytes: snapshot.length },
						'compacted'
					);
				},
				(error) =>
					this.options.log.warn(
						{ err: error, document: live.name },
						'compaction failed; the log is kept'
					)
			);
		const done = compaction.finally(() => this.#compacting.delete(live));
		this.#chain = Promise.all([this.#chain, done]).then(() => {});
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

	/**
	 * Applies the Yjs state of an imported workshop file (V1 only, Yjs #687) through the same
	 * pipeline as a client's update: whatever it writes into a server-owned root is reverted in the
	 * same round (an import can't forge a charter), and it is committed before it is relayed.
	 * Resolves 'full' (changing nothing) past the document size cap, 'malformed' if it does not apply.
	 */
	async applyImportedUpdate(name: string, update: Uint8Array): Promise<ApplyResult> {
		const live = await this.open(name);
		// What the document lacks of it counts against the cap, not what it already holds.
		const missing = Y.diffUpdate(update, Y.encodeStateVector(live.doc));
		if (!isEmptyUpdate(missing) && live.bytes + missing.length > this.options.maxDocumentBytes) {
			this.#scheduleUnload(live);
			return 'full';
		}
		live.holds++;
		let result: ApplyResult = 'applied';
		try {
			// Not the server's own transaction: #onTransaction reverts what it wrote into an owned root,
			// even when it throws half-way, and #release relays it with its revert after the commit.
			try {
				Y.applyUpdate(live.doc, update, IMPORT_ORIGIN);
			} catch {
				result = 'malformed';
			}
			await new Promise<void>((resolve, reject) => {
				this.#batch.waiters.push({ live, resolve, reject });
				this.#schedule();
			});
			return result;
		} finally {
			live.holds--;
			this.#scheduleUnload(live);
		}
	}
}

/** The names of the root types a transaction changed (deletions included). */
export function rootsTouched(doc: Y.Doc, transaction: Y.Transaction): Set<string> {
	const roots = new Set<SharedType>();
	for (const type of transaction.changed.keys()) {
		let current: SharedType = type;
		while (current._item) current = current._item.parent as SharedType;
		roots.add(current);
	}
	// A handful of roots: look their names up only for the roots actually touched.
	const names = new Set<string>();
	for (const [name, type] of doc.share) if (roots.has(type)) names.add(name);
	return names;
}

const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** A V1 update with no structs and no deletions: what a client with nothing new sends. */
function isEmptyUpdate(update: Uint8Array): boolean {
	return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/** Any shared type, as Yjs's own maps key them. */
type SharedType = Parameters<Y.Transaction['changed']['get']>[0];

type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] };

/** Per document's awareness: the JSON of each state as last relayed, to tell a change from a renewal. */
const relayedPresence = new WeakMap<awarenessProtocol.Awareness, Map<number, string>>();

function emptyBatch(): Batch {
	let markSettled = () => {};
	const settled = new Promise<void>((resolve) => (markSettled = resolve));
	return {
		rows: [],
		firstAppliedAt: 0,
		outbox: [],
		acks: new Map(),
		waiters: [],
		settled,
		markSettled
	};
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
