/**
 * Where a workshop's link (`/w/<id>`) opens: the board during the forum, the coalition's record
 * after it (`/w/<id>/summary`, which leads to the board, read-only once archived; `?board` opens the
 * board itself). After the forum means:
 * - archived, for everyone;
 * - the charter locked: for an observer at once (the observer link is how the coalition's members
 *   revisit it), for a participant or facilitator once the forum's day (the workshop's date) has
 *   passed — the charter is locked during the forum, before steps 3 to 5, while the room still
 *   works on the board.
 */
export type LandingRole = 'facilitator' | 'participant' | 'observer';

export interface LandingState {
	archived: boolean;
	locked: boolean;
	/** The forum's day, `YYYY-MM-DD`, or null when none was given. */
	date: string | null;
}

/** `today`: the calendar day where the server runs (`localToday()`). */
export function opensOnRecord(role: LandingRole, state: LandingState, today: string): boolean {
	if (state.archived) return true;
	if (!state.locked) return false;
	if (role === 'observer') return true;
	return state.date !== null && state.date < today;
}
