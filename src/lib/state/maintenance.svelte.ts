/**
 * Step 5's state as runes: the teamwork principles, the meeting rhythm and the follow-up log, read
 * through the board's subscriptions and written with this person's origin. Deleting a principle
 * or a follow-up goes through the board's "Annuler". One instance per step view.
 */
import type * as Y from 'yjs';
import type { BoardDocument } from './board.svelte';
import {
	addFollowUp,
	addPrinciple,
	getFollowUpText,
	getPrincipleText,
	getRhythmText,
	readFollowUps,
	readPrinciples,
	removeFollowUp,
	removePrinciple,
	setFollowUpDate,
	setPrincipleAgreed,
	type FollowUp,
	type FollowUpTextField,
	type Principle
} from '$lib/shared/maintenance';

export class MaintenanceState {
	readonly #board: BoardDocument;

	constructor(board: BoardDocument) {
		this.#board = board;
	}

	get principles(): Principle[] {
		this.#board.track('principles');
		return readPrinciples(this.#board.doc);
	}

	/** The live text of a principle, for binding an input to it. */
	principleText(id: string): Y.Text | null {
		this.#board.track('principles');
		return getPrincipleText(this.#board.doc, id);
	}

	addPrinciple(text: string): string {
		return addPrinciple(this.#board.doc, text, Date.now(), this.#board.origin);
	}

	setPrincipleAgreed(id: string, agreed: boolean): void {
		setPrincipleAgreed(this.#board.doc, id, agreed, this.#board.origin);
	}

	/** Deletes the principle and offers "Annuler", naming it `name`. */
	removePrinciple(id: string, name: string): void {
		this.#board.removeWithUndo('principle', name, (origin) =>
			removePrinciple(this.#board.doc, id, origin)
		);
	}

	/** The meeting rhythm's live text (null until the server created it). */
	get rhythm(): Y.Text | null {
		this.#board.track('maintenance');
		return getRhythmText(this.#board.doc);
	}

	/** The log, latest date first. */
	get followUps(): FollowUp[] {
		this.#board.track('followUps');
		return readFollowUps(this.#board.doc);
	}

	/** The live text of a follow-up's field, for binding an input to it. */
	followUpText(id: string, field: FollowUpTextField): Y.Text | null {
		this.#board.track('followUps');
		return getFollowUpText(this.#board.doc, id, field);
	}

	addFollowUp(entry: { date: string; what: string; who: string }): string {
		return addFollowUp(this.#board.doc, entry, Date.now(), this.#board.origin);
	}

	/** `date` is `YYYY-MM-DD` or empty to clear it. */
	setFollowUpDate(id: string, date: string): void {
		setFollowUpDate(this.#board.doc, id, date, this.#board.origin);
	}

	/** Deletes the follow-up and offers "Annuler", naming it `name`. */
	removeFollowUp(id: string, name: string): void {
		this.#board.removeWithUndo('followUp', name, (origin) =>
			removeFollowUp(this.#board.doc, id, origin)
		);
	}
}
