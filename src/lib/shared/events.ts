/** The typed Socket.IO contract, shared by server and client. Event names are `domain:action`. */

export type Ack<T> = (result: CommandResult<T>) => void;

export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: CommandError };

export type CommandError = 'invalid' | 'forbidden' | 'not_found' | 'unavailable';

export interface ClientToServerEvents {
	/** Asks for the server's clock, so a client can correct timers for its own offset. */
	'time:sync': (ack: Ack<{ serverTime: number }>) => void;
}

export interface ServerToClientEvents {
	/** The server is shutting down: reconnect later. */
	'server:shutdown': () => void;
	/**
	 * This member's access ended (removed, link revoked: 4403; workshop deleted: 4404), with the
	 * close code of the `/yjs` table; the server disconnects the socket right after.
	 */
	'access:ended': (payload: { code: number; reason: string }) => void;
}

export type InterServerEvents = Record<string, never>;
