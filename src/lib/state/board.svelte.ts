/**
 * The board page's state: the shared Y.Doc exposed as runes, and the connection status.
 * One instance per page (through context), never at module level: SSR would share it.
 */
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import { connectBoard, type BoardConnection } from '$lib/realtime/board-connection';
import {
	askPersistentStorage,
	keepBoardPage,
	openLocalCopy,
	registerOfflineWorker,
	type LocalCopy
} from '$lib/realtime/local-copy';
import { CloseCode } from '$lib/shared/close-codes';
import { readAllyOrganisation, setAllyOrganisation } from '$lib/shared/acceptances';
import {
	addAlly,
	getAllies,
	getAllyText,
	readAllies,
	removeAlly,
	renameAlly,
	setAllyConvergence,
	setAllyType,
	type Ally,
	type AllyTextField,
	type AllyType,
	type Convergence,
	type RootName
} from '$lib/shared/schema';
import { readPeople, type Person, type SelfIdentity } from '$lib/shared/presence';
import {
	readFacilitatedStep,
	readPathOption,
	type BoardStep,
	type PathOption
} from '$lib/shared/steps';

/**
 * `reconnecting`: the connection dropped and is being retried; `offline`: no connection for
 * OFFLINE_AFTER_MS, the browser says it has no network, or the board opened without reaching the
 * server (from the device's copy).
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/** The performance mark set when the board first became usable. */
export const USABLE_MARK = 'board-usable';

/** How long a dropped connection is "reconnecting" before the board says it is offline. */
export const OFFLINE_AFTER_MS = 10_000;
export type AccessProblem = 'signed-out' | 'forbidden' | 'gone' | 'document-full' | 'closed' | null;

/** What the board tells the person after a final close (y-websocket gives up on 4400–4499). */
const PROBLEM_OF_CLOSE_CODE: Record<number, AccessProblem> = {
	[CloseCode.unauthorized]: 'signed-out',
	[CloseCode.forbidden]: 'forbidden',
	[CloseCode.gone]: 'gone',
	[CloseCode.documentFull]: 'document-full'
};

/** Final closes after which this device no longer belongs to the board: its copy is wiped. */
const WIPE_ON_CLOSE = new Set<number>([
	CloseCode.unauthorized,
	CloseCode.forbidden,
	CloseCode.gone
]);

/** After this many failed handshakes in a row, ask the server whether the session still holds. */
const FAILED_HANDSHAKES_BEFORE_CHECK = 3;

/** How long "Annuler" stays offered after a deletion. */
export const UNDO_DELETE_MS = 10_000;

/** What a deletion removed: "Annuler" names it. */
export type UndoKind = 'ally' | 'task' | 'principle' | 'followUp';

export interface PendingUndo {
	kind: UndoKind;
	name: string;
}

/**
 * Which field a person has focused (shared through Yjs awareness, never stored): `item` is the
 * id of the ally, task, principle or follow-up, or a fixed name such as `rhythm`.
 */
export interface EditingField {
	item: string;
	field: string;
}

/** Someone else working in the same field: their colour (names come with the presence list). */
export interface FieldEditor {
	clientId: number;
	color: string;
}

/** Distinct hues for presence markers, picked from the awareness client id. */
const PRESENCE_COLORS = [
	'#b3261e',
	'#1565c0',
	'#6a1b9a',
	'#00838f',
	'#ad1457',
	'#4e342e',
	'#2e7d32'
];

/**
 * What a feature state (TasksState, PipelineState, MaintenanceState) needs of the board to read
 * and write its own roots: the document, this person's origin, the root subscriptions and the
 * deletions "Annuler" can revert. BoardState is one; unit tests pass a plain Y.Doc with stand-ins.
 */
export type BoardDocument = Pick<BoardState, 'doc' | 'origin' | 'track' | 'removeWithUndo'>;

export class BoardState {
	readonly workshopId: string;
	readonly #doc: Y.Doc;
	readonly #connection: BoardConnection;
	#status = $state<ConnectionStatus>('connecting');
	#synced = $state(false);
	#everSynced = $state(false);
	/** The device's copy of the board was loaded (it can be shown before, or without, a connection). */
	#localLoaded = $state(false);
	readonly #local: LocalCopy;
	#destroyed = false;
	#markUsable!: () => void;
	#usableMarked = false;
	/**
	 * Resolves once the board is usable: loaded and its step's view shown (StepView calls
	 * `markUsable`). What is not needed for that (the command socket) waits for it, and the
	 * `board-usable` performance mark tells tests what a first visit downloads before it.
	 */
	readonly usable = new Promise<void>((resolve) => (this.#markUsable = resolve));
	#unsaved = $state(0);
	#problem = $state<AccessProblem>(null);
	#failedHandshakes = 0;
	#offlineTimer: ReturnType<typeof setTimeout> | undefined;
	readonly #onBrowserOffline = () => {
		if (this.#status === 'reconnecting' || this.#status === 'connecting') this.#status = 'offline';
	};
	/** One Yjs subscriber per root, created on first read: components re-render on that root's changes. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping of subscribers, not state anything renders
	readonly #rootSubscribers = new Map<RootName, () => void>();
	readonly #self: SelfIdentity;
	/** Origin of this person's own edits: undo only ever reverts these, never other people's. */
	readonly origin = { local: true };
	/** Deletions only (its own origin), so "Annuler" never reverts typing done meanwhile. */
	readonly #deleteOrigin = { local: true, deletion: true };
	readonly #undoDeletes: Y.UndoManager;
	#pendingUndo = $state<PendingUndo | null>(null);
	#undoTimer: ReturnType<typeof setTimeout> | undefined;
	readonly #subscribePresence;

	constructor(workshopId: string, origin: string, self: SelfIdentity) {
		this.workshopId = workshopId;
		this.#self = self;
		// The device's copy first, then the network: only what the copy lacks comes down.
		this.#connection = connectBoard({
			origin,
			workshopId,
			connect: false,
			renewPresence: self.role !== 'observer'
		});
		this.#doc = this.#connection.doc;
		const { provider, saves } = this.#connection;
		const local = (this.#local = openLocalCopy(workshopId, this.#doc, {
			notLocal: this.#connection.notLocal,
			later: this.usable
		}));
		local.loaded.then(async (found) => {
			if (found) saves.restoreUnsaved(await local.unsavedBefore());
			if (this.#destroyed) return;
			this.#localLoaded = found;
			saves.onChange(() => local.rememberUnsaved(saves.unsavedChanges));
			provider.connect();
		});
		let opened = false;
		provider.on('status', ({ status }) => {
			if (status === 'connected') {
				opened = true;
				this.#failedHandshakes = 0;
				clearTimeout(this.#offlineTimer);
				this.#status = 'connected';
			} else if (status === 'disconnected') {
				this.#status = navigator.onLine === false ? 'offline' : 'reconnecting';
				clearTimeout(this.#offlineTimer);
				this.#offlineTimer = setTimeout(() => {
					if (this.#status === 'reconnecting') this.#status = 'offline';
				}, OFFLINE_AFTER_MS);
			}
		});
		provider.on('connection-close', () => {
			if (!opened) {
				this.#onFailedHandshake();
				// Opened without reaching the server: what is shown is the device's copy.
				if (this.#status === 'connecting') this.#status = 'offline';
			}
			opened = false;
		});
		addEventListener('offline', this.#onBrowserOffline);
		provider.on('sync', (synced: boolean) => {
			this.#synced = synced;
			if (!synced || this.#everSynced) return;
			this.#everSynced = true;
			askPersistentStorage();
			keepBoardPage();
		});
		provider.on('closed', ({ code }) => {
			this.#status = 'closed';
			this.#problem = PROBLEM_OF_CLOSE_CODE[code] ?? 'closed';
			// Phones are shared: a board this device no longer belongs to does not stay on it.
			if (WIPE_ON_CLOSE.has(code)) this.#local.wipe();
		});
		saves.onChange(() => (this.#unsaved = saves.unsavedChanges));
		const awareness = provider.awareness;
		this.#subscribePresence = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
		awareness.setLocalStateField(
			'color',
			PRESENCE_COLORS[this.#doc.clientID % PRESENCE_COLORS.length]
		);
		const undoable = [
			getAllies(this.#doc),
			...(['tasks', 'principles', 'followUps'] as const).map((root) => this.#doc.getMap(root))
		];
		this.#undoDeletes = new Y.UndoManager(undoable, {
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- Yjs's option, never rendered
			trackedOrigins: new Set([this.#deleteOrigin]),
			captureTimeout: 0
		});
	}

	get status(): ConnectionStatus {
		return this.#status;
	}
	markUsable(): void {
		if (!this.loaded || this.#usableMarked) return;
		this.#usableMarked = true;
		// Once per page load: a board opened later by client-side navigation is not a first load.
		if (performance.getEntriesByName(USABLE_MARK).length === 0) performance.mark(USABLE_MARK);
		this.#markUsable();
		registerOfflineWorker();
	}

	/** False until the device's copy or the first sync with the server is in the document. */
	get loaded(): boolean {
		return this.#everSynced || this.#localLoaded;
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

	/**
	 * The shared document, for the feature states that read and write their own roots (tasks,
	 * pipeline, maintenance… in src/lib/state/): read after `track(root)`, write with `origin`.
	 * Components write only through those states' methods, never on the document themselves.
	 */
	get doc(): Y.Doc {
		return this.#doc;
	}

	/** Makes the calling effect or derived re-run when anything inside `root` changes. */
	track(root: RootName): void {
		let subscribe = this.#rootSubscribers.get(root);
		if (!subscribe) {
			const type = this.#doc.getMap(root);
			subscribe = createSubscriber((update) => {
				type.observeDeep(update);
				return () => type.unobserveDeep(update);
			});
			this.#rootSubscribers.set(root, subscribe);
		}
		subscribe();
	}

	get allies(): Ally[] {
		this.track('allies');
		return readAllies(this.#doc);
	}

	/** The live text of an ally's field, for binding an input to it (see components/ytext.ts). */
	allyText(id: string, field: AllyTextField): Y.Text | null {
		this.track('allies');
		return getAllyText(this.#doc, id, field);
	}

	/** Everyone here (this person first), with their organisation, colour and step. */
	get people(): Person[] {
		this.#subscribePresence();
		const awareness = this.#connection.provider.awareness;
		return readPeople(
			awareness.getStates() as Map<number, Record<string, unknown>>,
			awareness.clientID,
			this.#self
		);
	}

	/** The step the facilitator brought everyone to (server-owned), if any. */
	/** What the workshop runs (the facilitator's choice, server-owned). */
	get pathOption(): PathOption {
		this.track('facilitation');
		return readPathOption(this.#doc);
	}

	get facilitatedStep(): BoardStep | null {
		this.track('facilitation');
		return readFacilitatedStep(this.#doc);
	}

	/** Tells the others which step this person is looking at. */
	setStep(step: BoardStep): void {
		this.#connection.provider.awareness.setLocalStateField('step', step);
	}

	/** This connection is the room's projector: not a person in the presence list. */
	markAsProjector(): void {
		this.#connection.provider.awareness.setLocalStateField('projector', true);
	}

	/** Tells the others which field this person is in (null when they leave it). */
	setEditing(editing: EditingField | null): void {
		this.#connection.provider.awareness.setLocalStateField('editing', editing);
	}

	/** The other people whose cursor is in this field right now. */
	editorsOf(item: string, field: string): FieldEditor[] {
		this.#subscribePresence();
		const editors: FieldEditor[] = [];
		const awareness = this.#connection.provider.awareness;
		for (const [clientId, state] of awareness.getStates()) {
			if (clientId === awareness.clientID) continue;
			const editing = state.editing as EditingField | null | undefined;
			if (editing?.item !== item || editing.field !== field) continue;
			// The server's colour for the member (the one the presence list shows), else the client's.
			const user = state.user as { colour?: unknown } | undefined;
			const color =
				typeof user?.colour === 'string'
					? user.colour
					: typeof state.color === 'string'
						? state.color
						: PRESENCE_COLORS[0];
			editors.push({ clientId, color });
		}
		return editors;
	}

	addAlly(name: string, type: AllyType, convergence?: Convergence): string {
		return addAlly(this.#doc, { name, type, convergence }, Date.now(), this.origin);
	}
	renameAlly(id: string, name: string): void {
		renameAlly(this.#doc, id, name, this.origin);
	}
	setAllyType(id: string, type: AllyType): void {
		setAllyType(this.#doc, id, type, this.origin);
	}
	setAllyConvergence(id: string, convergence: Convergence): void {
		setAllyConvergence(this.#doc, id, convergence, this.origin);
	}

	/** The workshop organisation the ally stands for (its delegate accepts the ally's roles). */
	allyOrganisation(id: string): string | null {
		this.track('allies');
		return readAllyOrganisation(this.#doc, id);
	}
	/** Links the ally to a workshop organisation (null: to none). */
	setAllyOrganisation(id: string, organisationId: string | null): void {
		setAllyOrganisation(this.#doc, id, organisationId, this.origin);
	}

	/** Deletes the ally and offers "Annuler" for UNDO_DELETE_MS. */
	removeAlly(id: string): void {
		const name = getAllyText(this.#doc, id, 'name')?.toString() ?? '';
		this.removeWithUndo('ally', name, (origin) => removeAlly(this.#doc, id, origin));
	}

	/**
	 * Runs a deletion (of an ally, task, principle or follow-up) with the origin "Annuler" reverts,
	 * and offers "Annuler" for UNDO_DELETE_MS. Only deletions made through here can be undone. For
	 * the feature states (TasksState.remove…), not components.
	 */
	removeWithUndo(kind: UndoKind, name: string, remove: (origin: unknown) => void): void {
		remove(this.#deleteOrigin);
		this.#pendingUndo = { kind, name };
		clearTimeout(this.#undoTimer);
		this.#undoTimer = setTimeout(() => {
			this.#pendingUndo = null;
			this.#undoDeletes.clear();
		}, UNDO_DELETE_MS);
	}

	get pendingUndo(): PendingUndo | null {
		return this.#pendingUndo;
	}

	/** Restores the last deleted item, with its fields, for everyone. */
	undoRemove(): void {
		// Only the latest deletion is offered (one "Annuler" at a time).
		this.#undoDeletes.undo();
		this.#undoDeletes.clear();
		clearTimeout(this.#undoTimer);
		this.#pendingUndo = null;
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#offlineTimer);
		removeEventListener('offline', this.#onBrowserOffline);
		clearTimeout(this.#undoTimer);
		this.#undoDeletes.destroy();
		this.#local.close();
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
				this.#local.wipe();
			}
		} catch {
			// Server unreachable: keep retrying, the status already says "reconnecting".
		}
	}
}
