/**
 * The server-owned parts of the board as runes: archived or not, the countdown, the charter, and
 * the consensus rounds and proposals (for the projector). Read from the shared Y.Doc; the
 * `workshop:archived` event switches the app at once, before the document update arrives.
 * One instance per page (through the component that creates it), never at module level.
 */
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import type { CommandsState } from './commands.svelte';
import { isArchived } from '$lib/shared/archive';
import { readCountdown, type Countdown } from '$lib/shared/countdown';
import { readCharter, type Charter } from '$lib/shared/charter-read';
import { readProposals, readRounds, type Proposal, type Round } from '$lib/shared/consensus';
import { readProjectorScreen, type ProjectorScreen } from '$lib/shared/projector-screen';

export class WorkshopState {
	readonly #doc: Y.Doc;
	/** What the last `workshop:archived` event said, until the document says it too. */
	#announced = $state<boolean | null>(null);
	readonly #offArchived: () => void;
	readonly #onMeta: () => void;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping of subscribers, not state anything renders
	readonly #subscribers = new Map<string, () => void>();

	constructor(doc: Y.Doc, commands: CommandsState) {
		this.#doc = doc;
		this.#offArchived = commands.on(
			'workshop:archived',
			({ archived }) => (this.#announced = archived)
		);
		this.#onMeta = () => (this.#announced = null);
		doc.getMap('meta').observe(this.#onMeta);
	}

	/** Read-only for everyone: the server drops document writes (commands still work). */
	get archived(): boolean {
		this.#track('meta');
		return this.#announced ?? isArchived(this.#doc);
	}

	get countdown(): Countdown | null {
		this.#track('facilitation');
		return readCountdown(this.#doc);
	}

	/** What a facilitator put on the projector. */
	get projectorScreen(): ProjectorScreen {
		this.#track('facilitation');
		return readProjectorScreen(this.#doc);
	}

	get charter(): Charter | null {
		this.#track('charter');
		return readCharter(this.#doc);
	}

	get rounds(): Round[] {
		this.#track('rounds');
		return readRounds(this.#doc);
	}

	get proposals(): Proposal[] {
		this.#track('proposals');
		return readProposals(this.#doc);
	}

	destroy(): void {
		this.#offArchived();
		this.#doc.getMap('meta').unobserve(this.#onMeta);
	}

	/** Re-runs the reader's effect when the root changes (server-owned roots hold plain values). */
	#track(root: string): void {
		let subscribe = this.#subscribers.get(root);
		if (!subscribe) {
			const map = this.#doc.getMap(root);
			subscribe = createSubscriber((update) => {
				map.observe(update);
				return () => map.unobserve(update);
			});
			this.#subscribers.set(root, subscribe);
		}
		subscribe();
	}
}
