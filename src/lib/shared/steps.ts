/**
 * The method's path, in order: Option 1 (join an existing coalition), then Option 2 (create one)
 * with the common objective agreed once the allies are identified and studied, before step 3
 * interests them in it. One source for step ids, on the server and in browsers: the navigation,
 * presence, and the facilitator's "bring everyone to this step" (the `facilitation:step` command
 * writes one of these ids into `facilitation.step`, or null for free movement).
 */
import type * as Y from 'yjs';

export const STEPS = [
	{ id: 'candidates', option: 1, number: null },
	{ id: 'identify', option: 2, number: 1 },
	{ id: 'study', option: 2, number: 2 },
	{ id: 'objective', option: 2, number: null },
	{ id: 'mobilise', option: 2, number: 3 },
	{ id: 'tasks', option: 2, number: 4 },
	{ id: 'maintain', option: 2, number: 5 }
] as const satisfies readonly StepDefinition[];

export type BoardStep = (typeof STEPS)[number]['id'];
export const BOARD_STEPS: readonly BoardStep[] = STEPS.map((step) => step.id);

/** Where a board opens when nobody chose a step and the facilitator brought nobody anywhere. */
export const DEFAULT_STEP: BoardStep = 'identify';

/**
 * What the workshop runs, chosen by the facilitator (server-owned `facilitation.path`): Option 1
 * (judge candidate coalitions to join), Option 2 (create one in five steps), or both. The common
 * objective belongs to both options: a coalition joined or created agrees on one.
 */
export const PATH_OPTIONS = ['both', 'join', 'create'] as const;
export type PathOption = (typeof PATH_OPTIONS)[number];

export function isPathOption(value: unknown): value is PathOption {
	return typeof value === 'string' && (PATH_OPTIONS as readonly string[]).includes(value);
}

/** The steps of the path a workshop runs, in order. */
export function stepsOf(option: PathOption): readonly BoardStep[] {
	if (option === 'both') return BOARD_STEPS;
	return STEPS.filter(
		(step) => step.id === 'objective' || step.option === (option === 'join' ? 1 : 2)
	).map((step) => step.id);
}

/** The path the workshop runs (both options until the facilitator chooses). */
export function readPathOption(doc: Y.Doc): PathOption {
	const option = doc.getMap('facilitation').get('path');
	return isPathOption(option) ? option : 'both';
}

export function isBoardStep(value: unknown): value is BoardStep {
	return typeof value === 'string' && (BOARD_STEPS as readonly string[]).includes(value);
}

/** The step before or after `step` on the path (null at either end). */
export function neighbourStep(
	step: BoardStep,
	offset: -1 | 1,
	steps: readonly BoardStep[] = BOARD_STEPS
): BoardStep | null {
	const index = steps.indexOf(step);
	return index === -1 ? null : (steps[index + offset] ?? null);
}

/** The step the facilitator brought everyone to (server-owned `facilitation.step`), if any. */
export function readFacilitatedStep(doc: Y.Doc): BoardStep | null {
	const step = doc.getMap('facilitation').get('step');
	return isBoardStep(step) ? step : null;
}

interface StepDefinition {
	id: string;
	/** 1: join an existing coalition; 2: create one. */
	option: 1 | 2;
	/** The method's step number within Option 2 (null for steps the deck does not number). */
	number: number | null;
}
