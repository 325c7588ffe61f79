/**
 * Where this person is on the path. The step they chose lives in the URL (`?step=`: reload, back
 * button and links keep it); without one they are on the facilitator's bring-everyone step. When
 * the facilitator brings everyone to a step, the chosen step is dropped and everyone follows again.
 * The projector also follows where the facilitator is working, so the room sees what they show.
 */
import {
	DEFAULT_STEP,
	isBoardStep,
	neighbourStep,
	stepsOf,
	type BoardStep
} from '$lib/shared/steps';
import { groupStep } from '$lib/shared/presence';
import type { BoardState } from './board.svelte';

export class PathState {
	readonly #board: BoardState;
	readonly #url: () => URL;
	readonly #followFacilitator: boolean;

	constructor(board: BoardState, url: () => URL, options: { followFacilitator?: boolean } = {}) {
		this.#board = board;
		this.#url = url;
		this.#followFacilitator = options.followFacilitator ?? false;
	}

	/** The step this person picked themselves, if any. */
	get chosen(): BoardStep | null {
		const step = this.#url().searchParams.get('step');
		return isBoardStep(step) ? step : null;
	}

	/** The steps of the path this workshop runs (Option 1, Option 2 or both). */
	get steps(): readonly BoardStep[] {
		return stepsOf(this.#board.pathOption);
	}

	get current(): BoardStep {
		const group = this.#followFacilitator ? this.group : this.#board.facilitatedStep;
		const wanted = this.chosen ?? group ?? DEFAULT_STEP;
		const steps = this.steps;
		// A step of the option the workshop does not run (an old link, a changed choice): its start.
		if (steps.includes(wanted)) return wanted;
		return steps.includes(DEFAULT_STEP) ? DEFAULT_STEP : steps[0];
	}

	/** Where the group is: the facilitator's bring-everyone step, else where a facilitator works. */
	get group(): BoardStep | null {
		return groupStep(this.#board.facilitatedStep, this.#board.people);
	}

	get previous(): BoardStep | null {
		return neighbourStep(this.current, -1, this.steps);
	}

	get next(): BoardStep | null {
		return neighbourStep(this.current, 1, this.steps);
	}

	/** The link to `step` (null: follow the group), keeping the page's other parameters. */
	href(step: BoardStep | null): string {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- built and read at once, never kept
		const url = new URL(this.#url());
		if (step) url.searchParams.set('step', step);
		else url.searchParams.delete('step');
		return url.pathname + url.search;
	}
}
