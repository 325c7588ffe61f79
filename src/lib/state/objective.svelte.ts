/**
 * The common objective step's state: proposals and rounds read from the document (server-owned
 * roots), commands sent through the page's command channel, and — for facilitators — each round's
 * progress and hidden tally as the server pushes it. One instance per mounted step.
 */
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { readProposals, readRounds, type Proposal, type Round } from '$lib/shared/consensus';
import type { RoundProgress } from '$lib/shared/events';
import type { CommandsState } from './commands.svelte';
import type { Viewer } from './context';

export class ObjectiveState {
	readonly #doc: Y.Doc;
	readonly commands: CommandsState;
	readonly viewer: Viewer;
	readonly #subscribe;
	#progress = $state<Record<string, RoundProgress>>({});
	readonly #stopProgress: () => void;

	constructor(doc: Y.Doc, commands: CommandsState, viewer: Viewer) {
		this.#doc = doc;
		this.commands = commands;
		this.viewer = viewer;
		this.#subscribe = createSubscriber((update) => {
			const roots = [doc.getMap('proposals'), doc.getMap('rounds')];
			for (const root of roots) root.observe(update);
			return () => {
				for (const root of roots) root.unobserve(update);
			};
		});
		// Only facilitators' sockets ever receive these (the server sends them to their room).
		this.#stopProgress = commands.on('round:progress', (progress) => {
			this.#progress = { ...this.#progress, [progress.roundId]: progress };
		});
	}

	get facilitator(): boolean {
		return this.viewer.role === 'facilitator';
	}

	get proposals(): Proposal[] {
		this.#subscribe();
		return readProposals(this.#doc);
	}

	/** Proposals still standing (not merged into another). */
	get activeProposals(): Proposal[] {
		return this.proposals.filter((proposal) => proposal.mergedInto === null);
	}

	get rounds(): Round[] {
		this.#subscribe();
		return readRounds(this.#doc);
	}

	get openRound(): Round | null {
		return this.rounds.find((round) => round.state === 'open') ?? null;
	}

	proposal(id: string): Proposal | undefined {
		return this.proposals.find((proposal) => proposal.id === id);
	}

	progress(roundId: string): RoundProgress | null {
		return this.#progress[roundId] ?? null;
	}

	/** Facilitators: asks for a round's progress now (pushed updates follow). */
	async loadProgress(roundId: string): Promise<void> {
		const result = await this.commands.send('round:status', { roundId });
		if (result.ok) this.#progress = { ...this.#progress, [roundId]: result.value };
	}

	destroy(): void {
		this.#stopProgress();
	}
}
