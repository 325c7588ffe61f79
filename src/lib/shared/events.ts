/** The typed Socket.IO contract, shared by server and client. Event names are `domain:action`. */
import type { BoardStep } from './steps';
import type { Countdown } from './countdown';

export type Ack<T> = (result: CommandResult<T>) => void;

/** `reason`: a machine-readable detail (snake_case) the client may show a specific message for. */
export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: CommandError; reason?: string };

export const COMMAND_ERRORS = ['invalid', 'forbidden', 'not_found', 'conflict', 'unavailable'] as const;
export type CommandError = (typeof COMMAND_ERRORS)[number];


export interface ClientToServerEvents {
	/** Asks for the server's clock, so a client can correct timers for its own offset. */
	'time:sync': (ack: Ack<{ serverTime: number }>) => void;
	/** Facilitator: bring everyone to this step (null: let everyone move freely). */
	'facilitation:step': (payload: { step: BoardStep | null }, ack: Ack<{ step: BoardStep | null }>) => void;
	/** Facilitator: start a countdown of `durationMs` now (server time), or stop it (null). */
	'facilitation:countdown': (
		payload: { durationMs: number | null },
		ack: Ack<{ countdown: Countdown | null }>
	) => void;
	/** Facilitator: copy the agreed objective into the charter (see shared/charter.ts for the rule). */
	'charter:lock': (payload: Record<string, never>, ack: Ack<{ version: number }>) => void;
	/** Facilitator: mark the charter unlocked, with a reason; it keeps its last version. */
	'charter:unlock': (payload: { reason: string }, ack: Ack<{ version: number }>) => void;
	/** Facilitator: make the board read-only for everyone (commands keep working). */
	'workshop:archive': (payload: { reason?: string | null }, ack: Ack<{ archived: true }>) => void;
	'workshop:unarchive': (payload: { reason?: string | null }, ack: Ack<{ archived: false }>) => void;
}

export interface ServerToClientEvents {
	/** The server is shutting down: reconnect later. */
	'server:shutdown': () => void;
	/**
	 * This member's access ended (removed, link revoked: 4403; workshop deleted: 4404), with the
	 * close code of the `/yjs` table; the server disconnects the socket right after.
	 */
	'access:ended': (payload: { code: number; reason: string }) => void;
	/** The workshop was archived (read-only for everyone) or unarchived: switch at once. */
	'workshop:archived': (payload: { archived: boolean; at: number; by: string }) => void;
}

export type InterServerEvents = Record<string, never>;

/** Events that take a payload and an acknowledgement: the commands. */
export type CommandEvent = {
	[E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [unknown, Ack<infer _T>] ? E : never;
}[keyof ClientToServerEvents];

export type CommandPayload<E extends CommandEvent> = Parameters<ClientToServerEvents[E]>[0];

export type CommandValue<E extends CommandEvent> =
	Parameters<ClientToServerEvents[E]>[1] extends Ack<infer T> ? T : never;
