/**
 * The board page's state: the shared Y.Doc exposed as runes, and the connection status.
 * One instance per page (through context), never at module level: SSR would share it.
 */
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import { connectBoard, type BoardConnection } from '$lib/realtime/board-connection';
import { CloseCode } from '$lib/shared/close-codes';
import {
	addAlly,
	getAllies,
	readAllies,
	removeAlly,
	renameAlly,
	setAllyType,
	type Ally,
	type AllyType
} from '$lib/shared/schema';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';
export type AccessProblem = 'signed-out' | 'forbidden' | 'document-full' | 'closed' | null;

/** After this many failed handshakes in a row, ask the server whether the session still holds. */
const FAILED_HANDSHAKES_BEFORE_CHECK = 3;

export class BoardState {
	readonly workshopId: string;
	readonly #doc: Y.Doc;
	readonly #connection: BoardConnection;
	#status = $state<ConnectionStatus>('connecting');
	#synced = $state(false);
	#everSynced = $state(false);
	#unsaved = $state(0);
	#problem = $state<AccessProblem>(null);
	#failedHandshakes = 0;
	readonly #subscribeAllies;

	constructor(workshopId: string, origin: string) {
		this.workshopId = workshopId;
		this.#connection = connectBoard({ origin, workshopId });
		this.#doc = this.#connection.doc;
		const { provider, saves } = this.#connection;
		let opened = false;
		provider.on('status', ({ status }) => {
			if (status === 'connected') {
				opened = true;
				this.#failedHandshakes = 0;
				this.#status = 'connected';
			} else if (status === 'disconnected') {
				this.#status = 'reconnecting';
			}
		});
		provider.on('connection-close', () => {
			if (!opened) this.#onFailedHandshake();
			opened = false;
		});
		provider.on('sync', (synced: boolean) => {
			this.#synced = synced;
			if (synced) this.#everSynced = true;
		});
		provider.on('closed', ({ code }) => {
			this.#status = 'closed';
			this.#problem =
				code === CloseCode.unauthorized
					? 'signed-out'
					: code === CloseCode.forbidden
						? 'forbidden'
						: code === CloseCode.documentFull
							? 'document-full'
							: 'closed';
		});
		saves.onChange(() => (this.#unsaved = saves.unsaved));
		this.#subscribeAllies = createSubscriber((update) => {
			const allies = getAllies(this.#doc);
			allies.observeDeep(update);
			return () => allies.unobserveDeep(update);
		});
	}

	get status(): ConnectionStatus {
		return this.#status;
	}
	/** False until the first sync with the server completed. */
	get loaded(): boolean {
		return this.#everSynced;
	}
	get synced(): boolean {
		return this.#synced;
	}
	get unsaved(): number {
		return this.#unsaved;
	}
	get saved(): boolean {
		return this.#synced && this.#unsaved === 0;
	}
	get problem(): AccessProblem {
		return this.#problem;
	}

	get allies(): Ally[] {
		this.#subscribeAllies();
		return readAllies(this.#doc);
	}

	addAlly(name: string, type: AllyType): void {
		addAlly(this.#doc, { name, type });
	}
	renameAlly(id: string, name: string): void {
		renameAlly(this.#doc, id, name);
	}
	setAllyType(id: string, type: AllyType): void {
		setAllyType(this.#doc, id, type);
	}
	removeAlly(id: string): void {
		removeAlly(this.#doc, id);
	}

	destroy(): void {
		this.#connection.destroy();
	}

	/** A refused handshake looks like 1006 and is retried forever: ask the server why. */
	async #onFailedHandshake(): Promise<void> {
		this.#failedHandshakes += 1;
		if (this.#failedHandshakes < FAILED_HANDSHAKES_BEFORE_CHECK || this.#problem) return;
		try {
			const response = await fetch(`/api/session?workshop=${encodeURIComponent(this.workshopId)}`);
			if (!response.ok) return;
			const { access } = (await response.json()) as { access: 'ok' | 'signed-out' | 'forbidden' };
			if (access === 'signed-out' || access === 'forbidden') {
				this.#problem = access;
				this.#status = 'closed';
				this.#connection.provider.disconnect();
			}
		} catch {
			// Server unreachable: keep retrying, the status already says "reconnecting".
		}
	}
}
