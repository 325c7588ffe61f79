/**
 * Connects a Y.Doc to the server's `/yjs/<workshopId>` endpoint with the unmodified y-websocket
 * provider, plus the server's commit acknowledgements. Works in browsers and in Node tests
 * (pass `ws` as `WebSocketImpl` there).
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { ACK_PARAM, MessageType, YJS_PATH } from '../shared/protocol';
import { countingWebSocket, SaveTracker } from './save-tracker';

export interface BoardConnection {
	doc: Y.Doc;
	provider: WebsocketProvider;
	saves: SaveTracker;
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
	const onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (origin === provider) return;
		const ws = provider.ws;
		saves.localChange(provider.wsconnected && ws !== null && ws.readyState === 1);
	};
	doc.on('update', onUpdate);
	return {
		doc,
		provider,
		saves,
		destroy() {
			doc.off('update', onUpdate);
			provider.destroy();
			// The provider does not own its Awareness, whose timer would keep running.
			provider.awareness.destroy();
		}
	};
}
