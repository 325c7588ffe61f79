/**
 * The method's path, in order: Option 1 (join an existing coalition), then Option 2 (create one)
 * with the common objective agreed once the allies are identified and studied, before step 3
 * interests them in it. One list for the navigation, presence and the facilitator's
 * "bring everyone to this step" (`facilitation.step` holds one of these ids, written by the server).
 */
import type * as Y from 'yjs';

export const STEPS = [
	{ id: 'candidates', option: 1, number: null },
	{ id: 'identify', option: 2, number: 1 },
	{ id: 'study', option: 2, number: 2 },
	{ id: 'objective', option: 2, number: null },
	{ id: 'mobilise', option: 2, number: 3 },
	{ id: 'roles', option: 2, number: 4 },
	{ id: 'maintain', option: 2, number: 5 }
] as const satisfies readonly StepDefinition[];

export type StepId = (typeof STEPS)[number]['id'];
export const STEP_IDS: readonly StepId[] = STEPS.map((step) => step.id);

/** Where a board opens when nobody chose a step and the facilitator brought nobody anywhere. */
export const DEFAULT_STEP: StepId = 'identify';

export function isStepId(value: unknown): value is StepId {
	return typeof value === 'string' && (STEP_IDS as readonly string[]).includes(value);
}

/** The step before or after `step` on the path (null at either end). */
export function neighbourStep(step: StepId, offset: -1 | 1): StepId | null {
	return STEP_IDS[STEP_IDS.indexOf(step) + offset] ?? null;
}

/** The step the facilitator brought everyone to (server-owned `facilitation.step`), if any. */
export function readFacilitatedStep(doc: Y.Doc): StepId | null {
	const step = doc.getMap('facilitation').get('step');
	return isStepId(step) ? step : null;
}

/**
 * Calls `listener` each time the facilitator brings everyone to a step (the same one again too:
 * the server writes the key anew), but only once `ready()` — not for the state found at first load.
 */
export function onFacilitatedStep(
	doc: Y.Doc,
	ready: () => boolean,
	listener: (step: StepId | null) => void
): () => void {
	const facilitation = doc.getMap('facilitation');
	const observer = (event: Y.YMapEvent<unknown>) => {
		if (ready() && event.keysChanged.has('step')) listener(readFacilitatedStep(doc));
	};
	facilitation.observe(observer);
	return () => facilitation.unobserve(observer);
}

interface StepDefinition {
	id: string;
	/** 1: join an existing coalition; 2: create one. */
	option: 1 | 2;
	/** The method's step number within Option 2 (null for steps the deck does not number). */
	number: number | null;
}
