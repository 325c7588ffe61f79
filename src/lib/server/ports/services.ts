/**
 * What the server core (src/lib/server) needs from the process that runs it, declared here so the
 * core depends on nothing in `server/`. The shell (server/services.ts) builds these from real
 * parts — SQLite or PostgreSQL, the Yjs registry, the sockets — and hands them over once.
 */
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { RateLimiter } from '../rate-limiter';
import type { ServerToClientEvents } from '../../shared/events';
import type { Storage } from './storage';

/** The settings the core reads (server/config.ts parses them from the environment). */
export interface CoreConfig {
	/** The address phones use, when the operator set one (PUBLIC_URL). */
	publicUrl: string | null;
	/** Whether anyone may create a facilitator account (`closed`: only an operator's accounts). */
	signup: 'open' | 'closed';
	/** A facilitator's session ends this many days after sign-in, however active. */
	sessionMaxDays: number;
}

/** The live Yjs documents (server/yjs/registry.ts). */
export interface Documents {
	/** Reads the document as the server holds it (loading it when no one is connected). */
	readDocument<T>(name: string, read: (doc: Y.Doc) => T): Promise<T>;
	/** A server write: resolves once it is committed and relayed to every connection. */
	changeDocument(name: string, change: (doc: Y.Doc) => void): Promise<void>;
	/** Resolves once everything received so far is committed. */
	flush(): Promise<void>;
	/**
	 * Applies an imported workshop file's Yjs state as a client update would be (owned roots
	 * reverted, committed before relayed): 'full' past the size cap, 'malformed' if it does not apply.
	 */
	applyImportedUpdate(name: string, update: Uint8Array): Promise<'applied' | 'malformed' | 'full'>;
	/** Closes the document's connections with `code` and forgets it (a deleted workshop). */
	closeDocument(name: string, code: number, reason: string): void;
	/** Asks every client of the document for what the server lacks (after an unarchive). */
	requestMissing(name: string): void;
}

/**
 * The open connections of a workshop (`/yjs` and Socket.IO, server/live-sockets.ts). Access is
 * checked against storage at every handshake, so callers change storage first.
 */
export interface LiveConnections {
	/** Re-reads the memberships behind open connections (only `userId`'s if given). */
	refreshPresence(workshopId: string, userId?: string): Promise<void>;
	/** Closes a member's connections with `code`; resolves how many were closed. */
	disconnectMember(workshopId: string, userId: string, code: number, reason: string): number;
	/** Closes every connection to the workshop. */
	disconnectWorkshop(workshopId: string, code: number, reason: string): number;
	/** Sends an event to every command socket of the workshop. */
	toWorkshop<E extends ServerEvent>(
		workshopId: string,
		event: E,
		...args: ServerEventArgs<E>
	): void;
	/** Sends an event to the workshop's facilitators only (hidden tallies, progress lists). */
	toFacilitators<E extends ServerEvent>(
		workshopId: string,
		event: E,
		...args: ServerEventArgs<E>
	): void;
	/** Whether any of the member's command sockets is connected to the workshop now, on any instance. */
	isConnected(workshopId: string, userId: string): Promise<boolean>;
}

export type ServerEvent = keyof ServerToClientEvents;
export type ServerEventArgs<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>;

export interface CoreServices {
	config: CoreConfig;
	log: Logger;
	storage: Storage;
	registry: Documents;
	/** Failure counts for sign-in and join codes. */
	rateLimiter: RateLimiter;
	live: LiveConnections;
}
