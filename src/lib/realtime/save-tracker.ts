/**
 * "Saved" that means on disk. The y-websocket client has no per-edit confirmation, so we count
 * the sync messages each socket sends, and the server acknowledges how many of them it has
 * committed. A local change is saved once the message that carried it is acknowledged.
 */
import { MessageType, SyncType } from '../shared/protocol';

type Listener = () => void;

export class SaveTracker {
	#socket: object | null = null;
	#sent = 0;
	#changes = 0;
	/**
	 * Local changes not yet acknowledged, oldest first; `seq` numbers local changes from 1,
	 * `sentAt` is the sync message count that carried it.
	 */
	#pending: { seq: number; sentAt: number | null }[] = [];
	#listeners = new Set<Listener>();

	/** Local changes not yet committed by the server. */
	get unsaved(): number {
		return this.#pending.length;
	}

	/** How many local changes were made so far: the sequence number of the latest one. */
	get changes(): number {
		return this.#changes;
	}

	/** Every local change numbered up to this one is committed by the server. */
	get savedThrough(): number {
		return this.#pending.length > 0 ? this.#pending[0].seq - 1 : this.#changes;
	}

	onChange(listener: Listener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** A new socket: its count starts at zero and everything unsaved must be sent again. */
	socketCreated(socket: object): void {
		this.#socket = socket;
		this.#sent = 0;
		for (const change of this.#pending) change.sentAt = null;
	}

	/** Called for every message a socket sends. */
	messageSent(socket: object, data: Uint8Array): void {
		if (socket !== this.#socket || data[0] !== MessageType.sync) return;
		this.#sent += 1;
		// A sync step 2 (the answer to the server's state vector) carries everything it lacks.
		if (data[1] === SyncType.step2) {
			for (const change of this.#pending) if (change.sentAt === null) change.sentAt = this.#sent;
		}
	}

	/** A local change; `sentNow` when the provider has just sent it on the open socket. Returns its number. */
	localChange(sentNow: boolean): number {
		const seq = ++this.#changes;
		this.#pending.push({ seq, sentAt: sentNow ? this.#sent : null });
		this.#emit();
		return seq;
	}

	/** The server committed `count` of the current socket's sync messages. */
	committed(count: number): void {
		const before = this.#pending.length;
		this.#pending = this.#pending.filter((change) => change.sentAt === null || change.sentAt > count);
		if (this.#pending.length !== before) this.#emit();
	}

	#emit(): void {
		for (const listener of this.#listeners) listener();
	}
}

/** A WebSocket class that reports its creation and every message it sends to `tracker`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function countingWebSocket<T extends new (...args: any[]) => WebSocketLike>(
	Base: T,
	tracker: SaveTracker
): T {
	return class extends Base {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		constructor(...args: any[]) {
			super(...args);
			tracker.socketCreated(this);
		}
		send(data: any, ...rest: any[]): void {
			if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
				tracker.messageSent(this, data instanceof Uint8Array ? data : new Uint8Array(data));
			}
			(super.send as (...args: any[]) => void)(data, ...rest);
		}
	};
}

interface WebSocketLike {
	send(data: any, ...rest: any[]): void;
}
