/** The path's words (the method's own, in French first) for each step, spelled out for tree-shaking. */
import { m } from '$lib/paraglide/messages';
import { STEPS, type BoardStep } from '$lib/shared/steps';

export const stepTitles: Record<BoardStep, () => string> = {
	candidates: m.step_candidates_title,
	identify: m.board_step1_title,
	study: m.board_step2_title,
	objective: m.step_objective_title,
	mobilise: m.step_mobilise_title,
	tasks: m.step_roles_title,
	maintain: m.step_maintain_title
};

/** Short names for the navigation and the presence list. */
const stepShortNames: Record<BoardStep, () => string> = {
	candidates: m.step_candidates_short,
	identify: m.step_identify_short,
	study: m.step_study_short,
	objective: m.step_objective_short,
	mobilise: m.step_mobilise_short,
	tasks: m.step_roles_short,
	maintain: m.step_maintain_short
};

/**
 * Each step's guide (the method's words, long in both languages) is fetched with its step: a board's
 * first load carries its own step's guide, not all seven.
 */
export const stepGuides: Record<BoardStep, () => Promise<() => string>> = {
	candidates: () => import('./steps/guides/candidates').then((guide) => guide.default),
	identify: () => import('./steps/guides/identify').then((guide) => guide.default),
	study: () => import('./steps/guides/study').then((guide) => guide.default),
	objective: () => import('./steps/guides/objective').then((guide) => guide.default),
	mobilise: () => import('./steps/guides/mobilise').then((guide) => guide.default),
	tasks: () => import('./steps/guides/tasks').then((guide) => guide.default),
	maintain: () => import('./steps/guides/maintain').then((guide) => guide.default)
};

export const optionTitles: Record<1 | 2, () => string> = {
	1: m.path_option1,
	2: m.path_option2
};

/** "Étape 3 · Les intéresser", or the short name alone for steps the method does not number. */
export function stepLabel(id: BoardStep): string {
	const number = STEPS.find((step) => step.id === id)?.number;
	const short = stepShortNames[id]();
	return number ? `${m.step_number({ number })} · ${short}` : short;
}
