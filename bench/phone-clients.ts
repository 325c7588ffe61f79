/**
 * The phone bench's Node clients (bundled by bench/phone.js with esbuild): the app's own
 * y-websocket connection (src/lib/realtime/board-connection.ts) over `ws` with a member's cookie,
 * and the bytes its TCP socket carried (WebSocket frames with their headers and the HTTP upgrade;
 * TCP/IP headers not), summed over reconnections.
 */
import WebSocket from 'ws';
import { connectBoard, type BoardConnection } from '../src/lib/realtime/board-connection';
import { addAlly, getAllyText, ALLY_FIELD_NAMES } from '../src/lib/shared/schema';

export { addAlly, getAllyText, ALLY_FIELD_NAMES };

export interface CountedClient {
	connection: BoardConnection;
	/** Bytes received and sent so far, each way. */
	bytes(): { down: number; up: number };
	/** WebSocket connections opened so far (1 unless it reconnected). */
	connections(): number;
}

export function connectCounted(url: string, workshopId: string, cookie: string): CountedClient {
	const sockets: WebSocket[] = [];
	class Counted extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols ?? [], { headers: { cookie } });
			sockets.push(this);
		}
	}
	const connection = connectBoard({
		origin: url,
		workshopId,
		WebSocketImpl: Counted as unknown as typeof globalThis.WebSocket,
		maxBackoffTime: 500
	});
	return {
		connection,
		connections: () => sockets.length,
		bytes() {
			let down = 0;
			let up = 0;
			for (const socket of sockets) {
				const tcp = (socket as unknown as { _socket?: { bytesRead: number; bytesWritten: number } })
					._socket;
				down += tcp?.bytesRead ?? 0;
				up += tcp?.bytesWritten ?? 0;
			}
			return { down, up };
		}
	};
}
