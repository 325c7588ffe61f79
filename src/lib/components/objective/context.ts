import { getContext, setContext } from 'svelte';
import type { ObjectiveState } from '$lib/state/objective.svelte';

const OBJECTIVE = Symbol('objective');

export function setObjective(objective: ObjectiveState): ObjectiveState {
	return setContext(OBJECTIVE, objective);
}

export function getObjective(): ObjectiveState {
	return getContext<ObjectiveState>(OBJECTIVE);
}
