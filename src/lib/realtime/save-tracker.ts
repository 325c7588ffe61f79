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
	#pending: { seq: number; sentAt: number | null; what: ChangeKey | null }[] = [];
	#listeners = new Set<Listener>();

	/** Local changes (Yjs updates: one per keystroke) not yet committed by the server. */
	get unsaved(): number {
		return this.#pending.length;
	}

	/**
	 * The unsaved changes as a person counts them: a run of updates to the same thing (typing in
	 * one field, one ally added) is one change, so one ally and one sentence make 2, not 39.
	 */
	get unsavedChanges(): number {
		let count = 0;
		let previous: ChangeKey | null | undefined;
		for (const { what } of this.#pending) {
			if (what === null || previous === undefined || !sameChange(what, previous)) count += 1;
			previous = what;
		}
		return count;
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

	/**
	 * A local change; `sentNow` when the provider has just sent it on the open socket; `what` names
	 * what it changed (see changeKeyOf), for `unsavedChanges`. Returns its number.
	 */
	localChange(sentNow: boolean, what: ChangeKey | null = null): number {
		const seq = ++this.#changes;
		this.#pending.push({ seq, sentAt: sentNow ? this.#sent : null, what });
		this.#emit();
		return seq;
	}

	/**
	 * Changes made before a reload and not saved then (the device's copy holds them): pending until
	 * the next sync step 2, which carries everything the server lacks, is committed.
	 */
	restoreUnsaved(count: number): void {
		if (count <= 0) return;
		for (let index = 0; index < count; index++)
			this.#pending.unshift({ seq: 0, sentAt: null, what: null });
		this.#emit();
	}

	/** The server committed `count` of the current socket's sync messages. */
	committed(count: number): void {
		const before = this.#pending.length;
		this.#pending = this.#pending.filter(
			(change) => change.sentAt === null || change.sentAt > count
		);
		if (this.#pending.length !== before) this.#emit();
	}

	#emit(): void {
		for (const listener of this.#listeners) listener();
	}
}

/** What a local change changed: a shared type and the keys of it that changed (none for text). */
export interface ChangeKey {
	type: object;
	keys: string;
}

function sameChange(a: ChangeKey | null, b: ChangeKey | null): boolean {
	return a !== null && b !== null && a.type === b.type && a.keys === b.keys;
}

/**
 * What a Yjs transaction changed, as a person sees it: typing in a field changes its Y.Text,
 * adding an ally sets one key of the allies map, choosing a type sets the `type` key of the
 * ally's map. Null when it changed several things at once (each such change counts alone).
 */
export function changeKeyOf(changed: Map<object, Set<string | null>>): ChangeKey | null {
	if (changed.size !== 1) return null;
	const [[type, keys]] = changed;
	return { type, keys: [...keys].map(String).sort().join('\u0000') };
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
		send(data: unknown, ...rest: unknown[]): void {
			if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
				tracker.messageSent(this, data instanceof Uint8Array ? data : new Uint8Array(data));
			}
			(super.send as (...args: unknown[]) => void)(data, ...rest);
		}
	};
}

interface WebSocketLike {
	send(...args: never[]): void;
}
