/**
 * Step 3's pipeline as runes: each ally's status and next action, read from the shared `allies`
 * root through the board's subscriptions and written with this person's origin. One instance per
 * step view.
 */
import type * as Y from 'yjs';
import type { BoardDocument } from './board.svelte';
import type { AllyPipelineTextField, AllyStatus } from '$lib/shared/schema';
import {
	getPipelineText,
	readPipeline,
	setAllyStatus,
	setNextActionDate,
	type PipelineEntry
} from '$lib/shared/pipeline';

export class PipelineState {
	readonly #board: BoardDocument;

	constructor(board: BoardDocument) {
		this.#board = board;
	}

	get entries(): PipelineEntry[] {
		this.#board.track('allies');
		return readPipeline(this.#board.doc);
	}

	/** The live text of an ally's pipeline field, for binding an input to it. */
	text(id: string, field: AllyPipelineTextField): Y.Text | null {
		this.#board.track('allies');
		return getPipelineText(this.#board.doc, id, field);
	}

	setStatus(id: string, status: AllyStatus): void {
		setAllyStatus(this.#board.doc, id, status, this.#board.origin);
	}

	/** `date` is `YYYY-MM-DD` (what `<input type="date">` gives) or empty to clear it. */
	setNextActionDate(id: string, date: string): void {
		setNextActionDate(this.#board.doc, id, date, this.#board.origin);
	}
}
