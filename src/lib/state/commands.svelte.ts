/**
 * The board page's command channel (Socket.IO), connected lazily so the first paint does not wait
 * for socket.io-client, with the server clock offset for countdowns. One instance per page.
 * Commands with an idempotency key wait in an outbox (IndexedDB) until the server answers: sent
 * once the network is back, after a reload too; what the server refused then is listed.
 */
import type { CommandClient } from '$lib/realtime/commands';
import { openOutbox, type Outbox, type QueuedCommand } from '$lib/realtime/outbox';
import { estimateClockOffset } from '$lib/shared/countdown';
import type {
	CommandEvent,
	CommandPayload,
	CommandResult,
	CommandValue,
	ServerToClientEvents
} from '$lib/shared/events';

/** A command sent from the outbox after the page that made it was gone, and refused. */
export interface LateRefusal {
	key: string;
	event: CommandEvent;
	result: CommandResult<unknown>;
}

/** How long a command without a key waits for the page's first connection before failing. */
const FIRST_CONNECTION_WAIT_MS = 5_000;

/**
 * socket.io-client's chunk, fetched again (1 s, 2 s, 4 s… up to 30 s apart) while the network
 * fails it: a failed fetch must not leave the page without commands, nor reject unhandled.
 */
async function loadCommandClient(): Promise<typeof import('$lib/realtime/commands')> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await import('$lib/realtime/commands');
		} catch {
			await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** attempt)));
		}
	}
}

function firstConnection(client: CommandClient, timeoutMs: number): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			client.socket.off('connect', done);
			resolve();
		};
		const timer = setTimeout(done, timeoutMs);
		client.socket.on('connect', done);
	});
}

export class CommandsState {
	readonly #client: Promise<CommandClient>;
	readonly #outbox: Outbox;
	#connected = $state(false);
	#everConnected = false;
	/** Keyed commands not answered yet (this page's and those left by earlier visits). */
	#waiting = $state<string[]>([]);
	#lateRefusals = $state<LateRefusal[]>([]);
	/** serverTime - localTime, in ms, from the last `time:sync` (0 until known). */
	#clockOffset = $state(0);
	#destroyed = false;

	/** `after`: socket.io-client is fetched and connected only then (the board usable first). */
	constructor(workshopId: string, origin: string, options: { after?: Promise<unknown> } = {}) {
		const after = options.after ?? Promise.resolve();
		this.#client = after.then(loadCommandClient).then(({ connectCommands }) => {
			const client = connectCommands({ origin, workshopId });
			if (this.#destroyed) client.destroy();
			client.socket.on('connect', () => {
				this.#connected = true;
				this.#everConnected = true;
				void this.#syncClock(client);
			});
			client.socket.on('disconnect', () => (this.#connected = false));
			return client;
		});
		this.#outbox = openOutbox(workshopId, after);
		void this.#outbox
			.all()
			.then((left) => {
				for (const command of left) void this.#sendLeftOver(command);
			})
			.catch(() => {});
	}

	/** How many commands wait for the server (a vote made offline, say). */
	get waiting(): number {
		return this.#waiting.length;
	}

	/** Commands made on an earlier visit, sent since and refused (e.g. their round had closed). */
	get lateRefusals(): LateRefusal[] {
		return this.#lateRefusals;
	}

	dismissLateRefusal(key: string): void {
		this.#lateRefusals = this.#lateRefusals.filter((refusal) => refusal.key !== key);
	}

	get connected(): boolean {
		return this.#connected;
	}

	/** The server's clock now, as best known here. */
	serverNow(): number {
		return Date.now() + this.#clockOffset;
	}

	async send<E extends CommandEvent>(
		event: E,
		payload: CommandPayload<E>
	): Promise<CommandResult<CommandValue<E>>> {
		const key = (payload as { key?: unknown } | null)?.key;
		if (typeof key !== 'string') {
			const client = await this.#client;
			// Not offline, only not connected yet (the socket waits for the board to be usable): a
			// tap right after the page opened waits for the first connection rather than failing.
			if (!client.socket.connected && !this.#everConnected)
				await firstConnection(client, FIRST_CONNECTION_WAIT_MS);
			return client.send(event, payload);
		}
		const command: QueuedCommand = { key, event, payload, queuedAt: Date.now() };
		void this.#outbox.put(command).catch(() => {});
		return this.#deliver(command) as Promise<CommandResult<CommandValue<E>>>;
	}

	/**
	 * Sends a keyed command until the server answers it (the client waits for the connection and
	 * retries; a connection lost meanwhile, the next one tries again), then forgets it. Its key
	 * makes every repeat the same intent to the server.
	 */
	async #deliver(command: QueuedCommand): Promise<CommandResult<unknown>> {
		if (this.#waiting.includes(command.key))
			return { ok: false, error: 'unavailable', reason: 'already_waiting' };
		this.#waiting = [...this.#waiting, command.key];
		try {
			const client = await this.#client;
			for (;;) {
				const result = await client.send(command.event as CommandEvent, command.payload as never);
				if (this.#destroyed) return result;
				// Answered; or connected yet unanswered (the person is told, and may try again as a
				// new intent: this one must not arrive later as well).
				if (result.ok || result.error !== 'unavailable' || client.socket.connected) {
					void this.#outbox.remove(command.key).catch(() => {});
					return result;
				}
				await new Promise((resolve) => client.socket.once('connect', () => resolve(null)));
			}
		} finally {
			this.#waiting = this.#waiting.filter((key) => key !== command.key);
		}
	}

	async #sendLeftOver(command: QueuedCommand): Promise<void> {
		const result = await this.#deliver(command);
		if (!result.ok && result.error !== 'unavailable') {
			this.#lateRefusals = [
				...this.#lateRefusals,
				{ key: command.key, event: command.event as CommandEvent, result }
			];
		}
	}

	/** Subscribes to a server event; returns the unsubscribe function. */
	on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
		let off: (() => void) | null = null;
		let cancelled = false;
		void this.#client.then((client) => {
			if (!cancelled) off = client.on(event, handler);
		});
		return () => {
			cancelled = true;
			off?.();
		};
	}

	destroy(): void {
		this.#destroyed = true;
		this.#outbox.close();
		void this.#client.then((client) => client.destroy());
	}

	async #syncClock(client: CommandClient): Promise<void> {
		const sentAt = Date.now();
		try {
			const result = await client.socket.timeout(5000).emitWithAck('time:sync');
			const receivedAt = Date.now();
			if (result.ok)
				this.#clockOffset = estimateClockOffset({
					sentAt,
					receivedAt,
					serverTime: result.value.serverTime
				});
		} catch {
			// No answer: keep the previous offset.
		}
	}
}
