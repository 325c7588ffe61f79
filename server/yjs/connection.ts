/**
 * One `/yjs/<workshopId>` WebSocket: decodes the y-websocket protocol, enforces the limits, buffers
 * what arrives while the document loads, and never lets an exception escape a message handler.
 */
import type { Writer } from './accepted-roles';
import type { WebSocket, RawData } from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { MessageType, SyncType } from '../../src/lib/shared/protocol';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { PresenceIdentity } from '../auth';
import type { DocumentRegistry, LiveDocument, Peer } from './registry';
import { encodeAwareness, encodeCommitted, encodeSyncStep1, encodeSyncStep2 } from './messages';
import { TokenBucket } from './token-bucket';
import { isArchived } from '../../src/lib/shared/archive';

export type Access = 'edit' | 'view';

/**
 * A connection that was sent nothing for this long gets KEEPALIVE: the y-websocket client closes a
 * socket that received no message for 30 s (WebSocket pings don't count), and the server no longer
 * relays presence renewals, which used to keep quiet rooms alive at a cost that grew with the room.
 */
export const KEEPALIVE_IDLE_MS = 18_000;
/** How often connections are checked for KEEPALIVE_IDLE_MS: the longest silence is their sum, 22 s. */
export const KEEPALIVE_CHECK_MS = 4_000;
/**
 * An awareness message with no entries (5 bytes with its frame): a y-websocket 3.1 client applies
 * it as nothing (no event, no answer) and counts it as a message received.
 */
const KEEPALIVE = encodeEmptyAwareness();

export interface ConnectionContext {
	registry: DocumentRegistry;
	limits: Config['limits'];
	log: Logger;
	docName: string;
	access: Access;
	/** Who this is, as presence must show it at first: overwrites what the client claims. */
	identity: PresenceIdentity;
	userId: string;
	wantsAck: boolean;
}

export class YjsConnection implements Peer {
	readonly awarenessIds = new Set<number>();
	/** The awareness client id this connection announced first: the only one it may speak for. */
	#ownClientId: number | null = null;
	/** Sync messages handled so far: what `committed` acknowledgements count. */
	#handledSync = 0;
	#live: LiveDocument | null = null;
	#pending: Uint8Array[] = [];
	#pendingBytes = 0;
	#closed = false;
	#identity: PresenceIdentity;
	readonly #bytes: TokenBucket;
	readonly #messages: TokenBucket;
	alive = true;
	#lastSentAt = Date.now();

	constructor(
		readonly ws: WebSocket,
		readonly context: ConnectionContext
	) {
		const { limits } = context;
		this.#identity = context.identity;
		this.#bytes = new TokenBucket(limits.burstBytes, limits.bytesPerSecond);
		this.#messages = new TokenBucket(limits.messagesPerSecond, limits.messagesPerSecond);
		ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
		ws.on('pong', () => (this.alive = true));
		ws.on('close', () => this.#onClose());
		ws.on('error', (error) => context.log.debug({ err: error }, 'yjs socket error'));
		this.#open();
	}

	send(message: Uint8Array): void {
		if (this.#closed || this.ws.readyState !== this.ws.OPEN) return;
		// A failed send surfaces as the socket's 'error' and 'close' events.
		this.ws.send(message);
		this.#lastSentAt = Date.now();
	}

	/**
	 * Sends KEEPALIVE if nothing was sent for KEEPALIVE_IDLE_MS, and keeps an observer's presence
	 * current (called every KEEPALIVE_CHECK_MS).
	 */
	keepAlive(now = Date.now()): void {
		if (!this.#live) return;
		if (now - this.#lastSentAt >= KEEPALIVE_IDLE_MS) this.send(KEEPALIVE);
		// Observers' apps do not renew their presence (it never changes): while the socket lives
		// (pings drop a dead one), their entry is kept from timing out here instead.
		if (this.context.access === 'view') {
			for (const id of this.awarenessIds) {
				const meta = this.#live.awareness.meta.get(id);
				if (meta) meta.lastUpdated = now;
			}
		}
	}

	cork(): void {
		socketOf(this.ws)?.cork();
	}

	uncork(): void {
		socketOf(this.ws)?.uncork();
	}

	/**
	 * After the member's name, organisation or role changed: stamped on their next presence update,
	 * which their client sends within 15 s (y-protocols renews presence at half its 30 s timeout).
	 */
	/** Who writes through this connection, as the membership says (role kept current by setIdentity). */
	get writer(): Writer {
		return { userId: this.context.userId, role: this.#identity.role };
	}

	setIdentity(identity: PresenceIdentity): void {
		this.#identity = identity;
	}

	sendCommitted(count: number): void {
		if (this.context.wantsAck) this.send(encodeCommitted(count));
	}

	close(code: number, reason: string): void {
		if (this.#closed) return;
		this.#closed = true;
		this.ws.close(code, reason);
		// A peer that never completes the closing handshake must not hold its slot.
		setTimeout(() => this.ws.terminate(), 5000).unref();
		this.#detach();
	}

	async #open(): Promise<void> {
		const { registry, docName, log } = this.context;
		let live: LiveDocument;
		try {
			live = await registry.open(docName);
		} catch (error) {
			log.error({ err: error, document: docName }, 'document failed to load');
			this.close(CloseCode.storageFailure, 'document failed to load');
			return;
		}
		if (this.#closed) return;
		this.#live = live;
		registry.attach(live, this);
		registry.sendAfterCommit(live, this, encodeSyncStep1(Y.encodeStateVector(live.doc)));
		const present = [...live.awareness.getStates().keys()];
		if (present.length > 0) this.send(encodeAwareness(live.awareness, present));
		const pending = this.#pending;
		this.#pending = [];
		for (const message of pending) {
			if (this.#closed) return;
			this.#handle(message);
		}
	}

	#onMessage(data: RawData, isBinary: boolean): void {
		if (this.#closed) return;
		try {
			if (!isBinary) return this.close(CloseCode.textFrame, 'binary frames only');
			const message = toUint8Array(data);
			if (!this.#messages.take(1) || !this.#bytes.take(message.length)) {
				return this.close(CloseCode.rateLimited, 'too many messages: slow down');
			}
			if (!this.#live) {
				this.#pendingBytes += message.length;
				if (this.#pendingBytes > this.context.limits.loadBufferBytes) {
					return this.close(CloseCode.rateLimited, 'too much data while the document loads');
				}
				this.#pending.push(message);
				return;
			}
			this.#handle(message);
		} catch (error) {
			this.context.log.warn(
				{ err: error, document: this.context.docName },
				'message handler failed'
			);
			this.close(CloseCode.malformed, 'message could not be handled');
		}
	}

	#handle(message: Uint8Array): void {
		const live = this.#live!;
		try {
			const decoder = decoding.createDecoder(message);
			const type = decoding.readVarUint(decoder);
			if (type === MessageType.sync) this.#handleSync(live, decoder);
			else if (type === MessageType.awareness) this.#handleAwareness(live, decoder);
			else if (type === MessageType.queryAwareness) {
				this.send(encodeAwareness(live.awareness, [...live.awareness.getStates().keys()]));
			} else this.close(CloseCode.malformed, 'unknown message type');
		} catch {
			this.close(CloseCode.malformed, 'malformed message');
		}
	}

	#handleSync(live: LiveDocument, decoder: decoding.Decoder): void {
		const { registry } = this.context;
		const syncType = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (syncType === SyncType.step1) {
			// Throws on a malformed state vector (caught by the caller).
			const diff = Y.encodeStateAsUpdate(live.doc, payload);
			registry.sendAfterCommit(live, this, encodeSyncStep2(diff));
		} else if (syncType === SyncType.step2 || syncType === SyncType.update) {
			// Viewers' writes are dropped; their socket stays open and keeps receiving. So are
			// everyone's while the workshop is archived. Dropping (not applying and reverting) is
			// sound here because no honest client builds on a dropped write: every app is told at
			// once (`workshop:archived`, and meta.archived in the document) and turns read-only. A
			// write that raced the archive stays in its client, and unarchiving asks every client
			// for what the server lacks (registry.requestMissing), so it arrives before anything
			// that depends on it would otherwise wait forever.
			if (this.context.access === 'edit' && !isArchived(live.doc)) {
				const result = registry.applyClientUpdate(live, this, payload);
				if (result === 'malformed') return this.close(CloseCode.malformed, 'update does not apply');
				if (result === 'full')
					return this.close(CloseCode.documentFull, 'document size limit reached');
			}
		} else {
			return this.close(CloseCode.malformed, 'unknown sync message');
		}
		this.#handledSync += 1;
		registry.acknowledgeAfterCommit(live, this, this.#handledSync);
	}

	#handleAwareness(live: LiveDocument, decoder: decoding.Decoder): void {
		// Throws on a truncated message or invalid JSON (caught by the caller).
		const update = this.#ownPresence(live, decoding.readVarUint8Array(decoder));
		if (update) awarenessProtocol.applyAwarenessUpdate(live.awareness, update, this);
	}

	/**
	 * Keeps only this connection's own entry, with the member's identity written over whatever the
	 * client claims. Entries for other client ids (y-websocket 3 clients relay everyone's presence,
	 * yjs/yjs#732), including removals of other clients, are dropped silently.
	 */
	#ownPresence(live: LiveDocument, update: Uint8Array): Uint8Array | null {
		const decoder = decoding.createDecoder(update);
		const kept: { clientId: number; clock: number; state: unknown }[] = [];
		for (let count = decoding.readVarUint(decoder); count > 0; count--) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const json = decoding.readVarString(decoder);
			// Others' entries are dropped unread: no JSON parsing of a whole room's presence per message.
			if (this.#ownClientId !== null && clientId !== this.#ownClientId) continue;
			const state: unknown = JSON.parse(json);
			if (this.#ownClientId === null) {
				if (state === null || !this.#mayClaim(live, clientId)) continue;
				this.#ownClientId = clientId;
			}
			if (clientId !== this.#ownClientId) continue;
			kept.push({ clientId, clock, state: state === null ? null : this.#withIdentity(state) });
		}
		if (kept.length === 0) return null;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, kept.length);
		for (const entry of kept) {
			encoding.writeVarUint(encoder, entry.clientId);
			encoding.writeVarUint(encoder, entry.clock);
			encoding.writeVarString(encoder, JSON.stringify(entry.state));
		}
		return encoding.toUint8Array(encoder);
	}

	/**
	 * Never an id another member's connection speaks for. The same member's stale connection (a
	 * phone that reconnected before the server noticed its old socket died) hands it over.
	 */
	#mayClaim(live: LiveDocument, clientId: number): boolean {
		for (const peer of live.peers) {
			if (peer === this || !peer.awarenessIds.has(clientId)) continue;
			if (!(peer instanceof YjsConnection) || peer.context.userId !== this.context.userId)
				return false;
			peer.awarenessIds.delete(clientId);
		}
		return true;
	}

	#withIdentity(state: unknown): Record<string, unknown> {
		const own =
			state && typeof state === 'object' && !Array.isArray(state)
				? (state as Record<string, unknown>)
				: {};
		return { ...own, user: { ...this.#identity } };
	}

	#onClose(): void {
		this.#closed = true;
		this.#detach();
	}

	#detach(): void {
		if (this.#live) this.context.registry.detach(this.#live, this);
		this.#pending = [];
	}
}

/** `ws` keeps its net.Socket private; corking it batches our frames into one write. */
function socketOf(ws: WebSocket): { cork(): void; uncork(): void } | undefined {
	return (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
}

function encodeEmptyAwareness(): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.awareness);
	encoding.writeVarUint8Array(encoder, new Uint8Array([0]));
	return encoding.toUint8Array(encoder);
}

function toUint8Array(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
