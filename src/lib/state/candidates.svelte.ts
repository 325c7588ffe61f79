/**
 * Option 1's candidates as runes: the shared `candidates` root, what the server revealed in
 * `candidateResults`, and the voice mode. Deleting a candidate offers "Annuler" for 10 s through
 * its own undo manager (this person's deletions only). One instance per step view.
 */
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import { UNDO_DELETE_MS, type BoardState } from './board.svelte';
import {
	addCandidate,
	getCandidates,
	getCandidateText,
	readCandidateResults,
	readCandidates,
	removeCandidate,
	type Candidate,
	type CandidateResult,
	type CandidateTextField
} from '$lib/shared/candidates';
import type { VoiceMode } from '$lib/shared/consensus';
import { readScoringVoice } from '$lib/shared/voices';

/** A deleted candidate "Annuler" can bring back. */
export interface PendingCandidateUndo {
	name: string;
}

export class CandidatesState {
	readonly #doc: Y.Doc;
	readonly #origin: unknown;
	readonly #deleteOrigin = { local: true, deletion: 'candidate' };
	readonly #undo: Y.UndoManager;
	readonly #subscribe;
	#pendingUndo = $state<PendingCandidateUndo | null>(null);
	#undoTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(board: BoardState) {
		this.#doc = board.doc;
		this.#origin = board.origin;
		const roots = [
			getCandidates(this.#doc),
			this.#doc.getMap('candidateResults'),
			this.#doc.getMap('facilitation')
		];
		this.#subscribe = createSubscriber((update) => {
			for (const root of roots) root.observeDeep(update);
			return () => {
				for (const root of roots) root.unobserveDeep(update);
			};
		});
		this.#undo = new Y.UndoManager(getCandidates(this.#doc), {
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- Yjs's option, never rendered
			trackedOrigins: new Set([this.#deleteOrigin]),
			captureTimeout: 0
		});
	}

	get candidates(): Candidate[] {
		this.#subscribe();
		return readCandidates(this.#doc);
	}

	/** Candidate id -> revealed scores and decision. */
	get results(): Map<string, CandidateResult> {
		this.#subscribe();
		return readCandidateResults(this.#doc);
	}

	get voice(): VoiceMode {
		this.#subscribe();
		return readScoringVoice(this.#doc);
	}

	text(id: string, field: CandidateTextField): Y.Text | null {
		this.#subscribe();
		return getCandidateText(this.#doc, id, field);
	}

	add(name: string): string {
		return addCandidate(this.#doc, { name }, Date.now(), this.#origin);
	}

	/** Deletes the candidate and offers "Annuler" for UNDO_DELETE_MS. */
	remove(id: string): void {
		const name = getCandidateText(this.#doc, id, 'name')?.toString() ?? '';
		removeCandidate(this.#doc, id, this.#deleteOrigin);
		this.#pendingUndo = { name };
		clearTimeout(this.#undoTimer);
		this.#undoTimer = setTimeout(() => {
			this.#pendingUndo = null;
			this.#undo.clear();
		}, UNDO_DELETE_MS);
	}

	get pendingUndo(): PendingCandidateUndo | null {
		return this.#pendingUndo;
	}

	/** Restores the last deleted candidate for everyone (its scores, kept by the server, with it). */
	undoRemove(): void {
		this.#undo.undo();
		this.#undo.clear();
		clearTimeout(this.#undoTimer);
		this.#pendingUndo = null;
	}

	destroy(): void {
		clearTimeout(this.#undoTimer);
		this.#undo.destroy();
	}
}
