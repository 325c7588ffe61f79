/**
 * The typed Socket.IO client for server-authoritative commands. Every command gets an answer:
 * the server's acknowledgement, or `unavailable` when offline or too slow. Commands that carry an
 * idempotency key (`withKey`) are safe to repeat, so they wait for the connection and are retried;
 * the others are refused at once while offline rather than sent late.
 */
import { io, type Socket } from 'socket.io-client';
import type {
	ClientToServerEvents,
	CommandEvent,
	CommandPayload,
	CommandResult,
	CommandValue,
	ServerToClientEvents
} from '../shared/events';

export type CommandSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 10_000;
const KEYED_ATTEMPTS = 3;

export interface CommandClient {
	readonly socket: CommandSocket;
	send<E extends CommandEvent>(
		event: E,
		payload: CommandPayload<E>
	): Promise<CommandResult<CommandValue<E>>>;
	on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void;
	destroy(): void;
}

export { withKey } from './idempotency';

export function connectCommands(options: {
	origin: string;
	workshopId: string;
	/** Node tests: the Cookie header (browsers send their own). */
	extraHeaders?: Record<string, string>;
	ackTimeoutMs?: number;
}): CommandClient {
	const socket: CommandSocket = io(options.origin, {
		path: '/socket.io/',
		query: { workshop: options.workshopId },
		extraHeaders: options.extraHeaders,
		// WebSocket from the start, no long-polling: one connection to one instance, so several
		// instances behind a load balancer need no sticky sessions (the board's /yjs needs a
		// WebSocket anyway), and a phone opens one connection instead of polling then upgrading.
		transports: ['websocket']
	});
	const timeout = options.ackTimeoutMs ?? ACK_TIMEOUT_MS;

	async function sendOnce<E extends CommandEvent>(
		event: E,
		payload: CommandPayload<E>
	): Promise<CommandResult<CommandValue<E>>> {
		try {
			// The socket's typed emit cannot name a generic event: the contract is checked by `send`'s type.
			const emitter = socket.timeout(timeout) as unknown as {
				emitWithAck(event: string, payload: unknown): Promise<CommandResult<CommandValue<E>>>;
			};
			return await emitter.emitWithAck(event, payload);
		} catch {
			return { ok: false, error: 'unavailable', reason: 'timeout' };
		}
	}

	return {
		socket,
		async send(event, payload) {
			const keyed = typeof (payload as { key?: unknown } | null)?.key === 'string';
			if (!keyed) {
				if (!socket.connected) return { ok: false, error: 'unavailable', reason: 'offline' };
				return sendOnce(event, payload);
			}
			let result: CommandResult<CommandValue<typeof event>> = { ok: false, error: 'unavailable' };
			for (let attempt = 0; attempt < KEYED_ATTEMPTS; attempt++) {
				if (!socket.connected)
					await new Promise((resolve) => socket.once('connect', () => resolve(null)));
				result = await sendOnce(event, payload);
				if (result.ok || result.error !== 'unavailable') return result;
			}
			return result;
		},
		on(event, handler) {
			socket.on(event, handler as never);
			return () => socket.off(event, handler as never);
		},
		destroy() {
			socket.disconnect();
		}
	};
}
