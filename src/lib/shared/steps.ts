/**
 * The board's path, in order: Option 1 (judge candidate coalitions), Option 2's five steps of the
 * method (identify, study, interest and mobilise, who does what, manage and maintain), and the
 * common objective agreed by consensus. One source for step ids, on the server and in browsers.
 */
export const BOARD_STEPS = [
	'candidates',
	'identify',
	'study',
	'mobilise',
	'tasks',
	'maintain',
	'objective'
] as const;
export type BoardStep = (typeof BOARD_STEPS)[number];

export function isBoardStep(value: unknown): value is BoardStep {
	return typeof value === 'string' && (BOARD_STEPS as readonly string[]).includes(value);
}
