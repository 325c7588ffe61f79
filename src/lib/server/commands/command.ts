/**
 * Server-authoritative commands, as the core declares them: who may send one, how its payload is
 * validated and what it does, against the core's ports only. The transport that receives them
 * (Socket.IO, server/commands/command.ts) re-reads the sender's role, validates, runs one command
 * at a time per workshop, keeps idempotency keys and always answers.
 */
import type * as Y from 'yjs';
import type { CommandError, CommandEvent, CommandPayload, CommandValue } from '../../shared/events';
import type { CoreServices } from '../ports/services';
import type { Membership, Role } from '../ports/storage';

/** What a command's `run` gets: who sent it (as stored now), and the workshop's write path. */
export interface CommandContext {
	services: CoreServices;
	workshopId: string;
	userId: string;
	sessionId: string;
	membership: Membership;
	/** Writes server-owned roots of this workshop's document; resolves once committed and sent. */
	changeDocument(change: (doc: Y.Doc) => void): Promise<void>;
	/** Reads this workshop's document (without keeping it loaded for the read's sake). */
	readDocument<T>(read: (doc: Y.Doc) => T): Promise<T>;
}

export interface CommandDefinition<E extends CommandEvent> {
	/** Roles allowed to send it; anyone else gets `forbidden`. */
	roles: readonly Role[];
	/** The validated payload, or `null` for `invalid`. Never trust the declared type. */
	parse(payload: unknown): CommandPayload<E> | null;
	run(
		context: CommandContext,
		payload: CommandPayload<E>
	): Promise<CommandValue<E>> | CommandValue<E>;
	/**
	 * Payloads carry a client-generated `key`: a retry with the same key returns the first result,
	 * the same key with another payload is refused. `scope` names the group its keys are forgotten
	 * with (e.g. the round a vote belongs to).
	 */
	idempotent?: { scope(payload: CommandPayload<E>): string | null };
}

/** An expected refusal: sent back as `{ ok: false, error, reason }`. */
export class CommandRefusal extends Error {
	constructor(
		readonly error: CommandError,
		readonly reason?: string
	) {
		super(reason ?? error);
	}
}

export function refuse(error: CommandError, reason?: string): never {
	throw new CommandRefusal(error, reason);
}

export function defineCommand<E extends CommandEvent>(
	definition: CommandDefinition<E>
): CommandDefinition<E> {
	return definition;
}
