/**
 * The board page's command channel (Socket.IO), connected lazily so the first paint does not wait
 * for socket.io-client, with the server clock offset for countdowns. One instance per page.
 */
import type { CommandClient } from '$lib/realtime/commands';
import { estimateClockOffset } from '$lib/shared/countdown';
import type {
	CommandEvent,
	CommandPayload,
	CommandResult,
	CommandValue,
	ServerToClientEvents
} from '$lib/shared/events';

export class CommandsState {
	readonly #client: Promise<CommandClient>;
	#connected = $state(false);
	/** serverTime - localTime, in ms, from the last `time:sync` (0 until known). */
	#clockOffset = $state(0);
	#destroyed = false;

	constructor(workshopId: string, origin: string) {
		this.#client = import('$lib/realtime/commands').then(({ connectCommands }) => {
			const client = connectCommands({ origin, workshopId });
			if (this.#destroyed) client.destroy();
			client.socket.on('connect', () => {
				this.#connected = true;
				void this.#syncClock(client);
			});
			client.socket.on('disconnect', () => (this.#connected = false));
			return client;
		});
	}

	get connected(): boolean {
		return this.#connected;
	}

	/** The server's clock now, as best known here. */
	serverNow(): number {
		return Date.now() + this.#clockOffset;
	}

	async send<E extends CommandEvent>(event: E, payload: CommandPayload<E>): Promise<CommandResult<CommandValue<E>>> {
		return (await this.#client).send(event, payload);
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
		void this.#client.then((client) => client.destroy());
	}

	async #syncClock(client: CommandClient): Promise<void> {
		const sentAt = Date.now();
		try {
			const result = await client.socket.timeout(5000).emitWithAck('time:sync');
			const receivedAt = Date.now();
			if (result.ok) this.#clockOffset = estimateClockOffset({ sentAt, receivedAt, serverTime: result.value.serverTime });
		} catch {
			// No answer: keep the previous offset.
		}
	}
}
