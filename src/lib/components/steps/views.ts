/**
 * Each step's view, loaded only when someone opens that step: the board's first load carries the
 * path, presence and connection, not every step's editing code.
 */
import type { Component } from 'svelte';
import type { BoardStep } from '$lib/shared/steps';

export interface StepViewProps {
	step: BoardStep;
	/** Read-only, large type, no editing chrome (the room's shared screen). */
	projector: boolean;
}

type StepViewModule = { default: Component<StepViewProps> };

export const STEP_VIEWS: Record<BoardStep, () => Promise<StepViewModule>> = {
	candidates: () => import('../CandidatesStep.svelte'),
	identify: () => import('./AlliesStep.svelte'),
	study: () => import('./AlliesStep.svelte'),
	objective: () => import('../ObjectiveStep.svelte'),
	mobilise: () => import('./MobiliseStep.svelte'),
	tasks: () => import('./RolesStep.svelte'),
	maintain: () => import('./MaintainStep.svelte')
};
