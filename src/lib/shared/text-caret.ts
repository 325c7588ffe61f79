/** Caret arithmetic for text fields bound to a Y.Text (framework-free, unit-tested). */

/** One Y.Text change, as in YTextEvent.delta. */
export type TextDelta = { retain?: number; insert?: unknown; delete?: number }[];

/**
 * Where a caret at `index` lands after `delta`. Text inserted exactly at the caret goes after
 * it: the caret stays right after what this person just typed.
 */
export function mapCaret(index: number, delta: TextDelta): number {
	let cursor = 0;
	let mapped = index;
	for (const op of delta) {
		if (cursor > mapped) break;
		if (op.retain !== undefined) {
			cursor += op.retain;
		} else if (op.insert !== undefined) {
			const length = typeof op.insert === 'string' ? op.insert.length : 1;
			if (cursor < mapped) mapped += length;
			cursor += length;
		} else if (op.delete !== undefined) {
			if (cursor < mapped) mapped -= Math.min(op.delete, mapped - cursor);
		}
	}
	return mapped;
}
