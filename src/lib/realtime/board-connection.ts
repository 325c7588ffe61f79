/**
 * Connects a Y.Doc to the server's `/yjs/<workshopId>` endpoint with the unmodified y-websocket
 * provider, plus the server's commit acknowledgements. Works in browsers and in Node tests
 * (pass `ws` as `WebSocketImpl` there).
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import { ACK_PARAM, MessageType, YJS_PATH } from '../shared/protocol';
import { changeKeyOf, countingWebSocket, SaveTracker } from './save-tracker';

export interface BoardConnection {
	doc: Y.Doc;
	provider: WebsocketProvider;
	saves: SaveTracker;
	/** Transaction origins that are not this person's changes (the device's copy being loaded). */
	notLocal: Set<unknown>;
	destroy(): void;
}

export function connectBoard(options: {
	/** http(s) or ws(s) origin of the server, e.g. `location.origin`. */
	origin: string;
	workshopId: string;
	doc?: Y.Doc;
	WebSocketImpl?: typeof WebSocket;
	connect?: boolean;
	maxBackoffTime?: number;
	/**
	 * False for observers: their presence never changes once announced, and the server keeps a
	 * view-only connection's presence for as long as the connection lives, so they send nothing
	 * every 15 s (only their answers to pings).
	 */
	renewPresence?: boolean;
}): BoardConnection {
	const doc = options.doc ?? new Y.Doc();
	const saves = new SaveTracker();
	const WebSocketImpl = countingWebSocket(options.WebSocketImpl ?? WebSocket, saves);
	const serverUrl = options.origin.replace(/^http/, 'ws') + YJS_PATH.slice(0, -1);
	const provider = new WebsocketProvider(serverUrl, options.workshopId, doc, {
		params: { [ACK_PARAM]: '1' },
		WebSocketPolyfill: WebSocketImpl as typeof WebSocket,
		disableBc: true,
		connect: options.connect ?? true,
		maxBackoffTime: options.maxBackoffTime ?? 5000
	});
	provider.messageHandlers[MessageType.committed] = (_encoder, decoder) => {
		saves.committed(decoding.readVarUint(decoder));
	};
	// Registered after the provider's own handler, which has already sent the update if it could.
	const notLocal = new Set<unknown>();
	const onUpdate = (
		_update: Uint8Array,
		origin: unknown,
		_doc: Y.Doc,
		transaction: Y.Transaction
	) => {
		if (origin === provider || notLocal.has(origin)) return;
		const ws = provider.ws;
		saves.localChange(
			provider.wsconnected && ws !== null && ws.readyState === 1,
			changeKeyOf(transaction.changed)
		);
	};
	doc.on('update', onUpdate);
	const stopPresenceTimer = keepPresenceUntilRemoved(
		provider.awareness,
		options.renewPresence ?? true
	);
	sendOwnPresenceOnly(provider);
	return {
		doc,
		provider,
		saves,
		notLocal,
		destroy() {
			doc.off('update', onUpdate);
			stopPresenceTimer();
			provider.destroy();
			// The provider does not own its Awareness, whose timer would keep running.
			provider.awareness.destroy();
		}
	};
}

/** y-protocols renews a local state this long after its last update (half its 30 s timeout). */
const RENEW_AFTER_MS = 15_000;

/**
 * Replaces the awareness timer of y-protocols, which renews this client's state every 15 s and
 * drops another person's after 30 s without a renewal. The server relays renewals to nobody (they
 * would cost every phone bytes per person in the room, every minute): it removes a person's
 * presence itself when their connection closes or stops answering pings, and the provider drops
 * everyone's when its own connection closes. So others stay until removed; this client still
 * renews its own state, which is how the server knows it is here and re-stamps its identity.
 */
function keepPresenceUntilRemoved(awareness: Awareness, renew: boolean): () => void {
	clearInterval(awareness._checkInterval);
	if (!renew) return () => {};
	const timer = setInterval(() => {
		const local = awareness.getLocalState();
		const meta = awareness.meta.get(awareness.clientID);
		if (local !== null && meta && Date.now() - meta.lastUpdated >= RENEW_AFTER_MS) {
			awareness.setLocalState(local);
		}
	}, RENEW_AFTER_MS / 5);
	awareness._checkInterval = timer;
	return () => clearInterval(timer);
}

/**
 * The provider sends every awareness change it applies, others' included (yjs/yjs#732): each
 * phone would send the whole room's presence changes back up, which the server drops anyway.
 * Changes that came from the server (origin: the provider) are not sent back.
 */
function sendOwnPresenceOnly(provider: WebsocketProvider): void {
	const send = provider._awarenessUpdateHandler;
	provider.awareness.off('update', send);
	provider._awarenessUpdateHandler = (changes, origin) => {
		if (origin !== provider) send(changes, origin);
	};
	provider.awareness.on('update', provider._awarenessUpdateHandler);
}
