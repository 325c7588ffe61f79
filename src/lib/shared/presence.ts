/**
 * Who is here, from Yjs awareness. The server writes each entry's `user` (name, organisation, role,
 * colour) from the membership, over whatever the client claimed; the client adds `step` and
 * `editing`. A browser's own entry never comes back with `user` (same clock), so it is given here.
 */
import { isBoardStep, type BoardStep } from './steps';

export type PresenceRole = 'facilitator' | 'participant' | 'observer';

export interface Person {
	clientId: number;
	name: string;
	organisation: string | null;
	role: PresenceRole;
	colour: string;
	step: BoardStep | null;
	self: boolean;
}

export interface SelfIdentity {
	name: string;
	organisation: string | null;
	role: PresenceRole;
	colour: string;
}

/**
 * Everyone present: this person first, then the others by name. Entries without a `user` are
 * skipped, and so are projectors (a screen, not a person: `projector: true` in its state).
 */
export function readPeople(
	states: ReadonlyMap<number, Record<string, unknown>>,
	selfId: number,
	self: SelfIdentity
): Person[] {
	const people: Person[] = [];
	for (const [clientId, state] of states) {
		const step = isBoardStep(state.step) ? state.step : null;
		if (clientId === selfId) {
			people.push({ clientId, ...self, step, self: true });
			continue;
		}
		const user = readUser(state.user);
		if (user && state.projector !== true) people.push({ clientId, ...user, step, self: false });
	}
	return people.sort(
		(a, b) =>
			Number(b.self) - Number(a.self) || a.name.localeCompare(b.name) || a.clientId - b.clientId
	);
}

function readUser(value: unknown): SelfIdentity | null {
	if (!value || typeof value !== 'object') return null;
	const user = value as Record<string, unknown>;
	if (typeof user.name !== 'string') return null;
	const role = user.role === 'facilitator' || user.role === 'observer' ? user.role : 'participant';
	return {
		name: user.name,
		organisation:
			typeof user.organisation === 'string' && user.organisation ? user.organisation : null,
		role,
		colour:
			typeof user.colour === 'string' && /^#[0-9a-f]{6}$/i.test(user.colour)
				? user.colour
				: '#5b645f'
	};
}

/**
 * Where the group is: the facilitator's bring-everyone step, else where a facilitator (someone
 * else: a facilitator's own screens follow the others) is working.
 */
export function groupStep(
	facilitated: BoardStep | null,
	people: readonly Person[]
): BoardStep | null {
	if (facilitated) return facilitated;
	return (
		people.find((person) => !person.self && person.role === 'facilitator' && person.step)?.step ??
		null
	);
}
