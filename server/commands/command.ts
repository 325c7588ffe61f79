/**
 * Commands over Socket.IO: `bindCommand` adds what every command (declared in the core,
 * src/lib/server/commands/) needs: the member's role re-read from storage (a removed member is
 * refused at once), validation, one command at a time per workshop, optional idempotency keys, and
 * an acknowledgement that is always sent — nothing escapes a handler.
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'socket.io';
import type {
	ClientToServerEvents,
	CommandEvent,
	CommandResult,
	CommandValue,
	InterServerEvents,
	ServerToClientEvents
} from '../../src/lib/shared/events';
import type { Services } from '../services';
import type { SocketData } from '../socket/index';
import { StorageFailure } from '../yjs/registry';
import {
	CommandRefusal,
	type CommandContext,
	type CommandDefinition
} from '../../src/lib/server/commands/command';
import { COMMANDS, type CommandTable } from '../../src/lib/server/commands/index';

export type CommandSocket = Socket<
	ClientToServerEvents,
	ServerToClientEvents,
	InterServerEvents,
	SocketData
>;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

export function bindCommand<E extends CommandEvent>(
	socket: CommandSocket,
	services: Services,
	event: E,
	definition: CommandDefinition<E>
): void {
	const handler = (payload: unknown, ack: unknown) => {
		// A command without a callback is not one of our clients: nothing to answer.
		if (typeof ack !== 'function') return;
		const workshopId = socket.data.membership.workshopId;
		services.commandQueue
			.run(workshopId, () => execute(socket, services, event, definition, payload))
			.then(
				(result) => {
					ack(result);
					// After the answer, so the client learns why.
					if (!result.ok && result.reason === 'not_a_member') socket.disconnect(true);
				},
				(error) => {
					services.log.error({ err: error, event }, 'command failed');
					ack({ ok: false, error: 'unavailable' });
				}
			);
	};
	(socket as unknown as { on(event: string, handler: (...args: unknown[]) => void): void }).on(
		event,
		handler
	);
}

async function execute<E extends CommandEvent>(
	socket: CommandSocket,
	services: Services,
	event: E,
	definition: CommandDefinition<E>,
	raw: unknown
): Promise<CommandResult<CommandValue<E>>> {
	const { workshopId, userId } = socket.data.membership;
	const sessionId = socket.data.sessionId;
	// Roles as stored now, not as at the handshake: removal and role changes apply at once.
	const membership = await services.storage.getMembership(workshopId, userId);
	if (!membership) return { ok: false, error: 'forbidden', reason: 'not_a_member' };
	if (!definition.roles.includes(membership.role))
		return { ok: false, error: 'forbidden', reason: 'role' };
	const payload = definition.parse(raw);
	if (payload === null) return { ok: false, error: 'invalid' };

	let key: string | null = null;
	let payloadHash = '';
	if (definition.idempotent) {
		key = (raw as { key?: unknown }).key as string;
		if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
			return { ok: false, error: 'invalid', reason: 'key' };
		payloadHash = hashPayload(raw as Record<string, unknown>);
		const previous = await services.storage.commandResults.get(sessionId, key);
		if (previous) {
			if (previous.event !== event || previous.payloadHash !== payloadHash) {
				return { ok: false, error: 'conflict', reason: 'key_reused' };
			}
			return JSON.parse(previous.result);
		}
	}

	const context: CommandContext = {
		services,
		workshopId,
		userId,
		sessionId,
		membership,
		changeDocument: (change) => services.registry.changeDocument(workshopId, change),
		readDocument: (read) => services.registry.readDocument(workshopId, read)
	};
	let result: CommandResult<CommandValue<E>>;
	try {
		result = { ok: true, value: await definition.run(context, payload) };
	} catch (error) {
		if (error instanceof CommandRefusal)
			result = { ok: false, error: error.error, reason: error.reason };
		else if (error instanceof StorageFailure)
			return { ok: false, error: 'unavailable', reason: 'storage' };
		else throw error;
	}
	if (key !== null && definition.idempotent) {
		await services.storage.commandResults.save({
			sessionId,
			key,
			workshopId,
			event,
			payloadHash,
			result: JSON.stringify(result),
			scope: definition.idempotent.scope(payload),
			createdAt: Date.now()
		});
	}
	return result;
}

/** The payload's fingerprint without its key, independent of property order. */
function hashPayload(payload: Record<string, unknown>): string {
	const { key: _key, ...rest } = payload;
	return createHash('sha256').update(stableJson(rest)).digest('hex');
}

function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.keys(value)
			.sort()
			.map(
				(name) => `${JSON.stringify(name)}:${stableJson((value as Record<string, unknown>)[name])}`
			);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** Binds every command (or those given) on an authorised command socket. */
export function bindCommands(
	socket: CommandSocket,
	services: Services,
	commands: Partial<CommandTable> = COMMANDS
): void {
	for (const [event, definition] of Object.entries(commands) as [
		CommandEvent,
		CommandDefinition<CommandEvent>
	][]) {
		bindCommand(socket, services, event, definition);
	}
}
