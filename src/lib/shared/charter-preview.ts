/**
 * What the facilitator sees before locking: the charter the lock would write now (the same
 * `buildCharter` the server runs), whether it says anything new next to the current version, and
 * what is missing, section by section — computed in the browser from the live document, so it
 * follows the room as it works.
 */
import type * as Y from 'yjs';
import { readProposals, readRounds } from './consensus';
import { readEndorsements, currentObjective, endorsesWording } from './endorsements';
import { readPathOption } from './steps';
import { readPrinciples } from './maintenance';
import {
	buildCharter,
	findLockable,
	readCharter,
	sameAgreement,
	type Charter,
	type LockRefusal
} from './charter';
import type { CharterOrganisation } from './charter-sections';

export type CharterGap =
	| { kind: 'objective'; reason: LockRefusal }
	| { kind: 'not_endorsed'; names: string[] }
	| { kind: 'earlier_wording'; names: string[] }
	| { kind: 'no_tasks' }
	| { kind: 'no_lead'; names: string[] }
	| { kind: 'not_accepted'; count: number }
	| { kind: 'no_principles' }
	| { kind: 'principles_pending'; count: number }
	| { kind: 'no_rhythm' }
	| { kind: 'no_coalitions' }
	| { kind: 'undecided'; names: string[] };

export interface CharterPreview {
	/** The charter a lock would write now; null while the objective cannot be locked. */
	charter: Charter | null;
	/** The version the lock would make. */
	version: number;
	/** Whether it says something the current locked version does not (always true unlocked). */
	changed: boolean;
	gaps: CharterGap[];
}

export function previewCharter(
	doc: Y.Doc,
	input: { organisations: readonly CharterOrganisation[]; lockedBy: string; now: number }
): CharterPreview {
	const current = readCharter(doc);
	const version = (current?.version ?? 0) + 1;
	const lockable = findLockable(readProposals(doc), readRounds(doc));
	const charter = lockable.ok
		? buildCharter(doc, {
				...lockable,
				version,
				lockedAt: input.now,
				lockedBy: input.lockedBy,
				organisations: input.organisations
			})
		: null;
	const gaps: CharterGap[] = lockable.ok ? [] : [{ kind: 'objective', reason: lockable.reason }];
	if (charter) gaps.push(...endorsementGaps(doc, charter));
	if (charter) gaps.push(...sectionGaps(doc, charter));
	const changed =
		charter !== null &&
		!(current?.status === 'locked' && sameAgreement(current, { ...charter, version }));
	return { charter, version, changed, gaps };
}

function endorsementGaps(doc: Y.Doc, charter: Charter): CharterGap[] {
	const gaps: CharterGap[] = [];
	const objective = currentObjective(readProposals(doc));
	const earlier = [...readEndorsements(doc).values()]
		.filter((entry) => objective && !endorsesWording(entry, objective))
		.map((entry) => entry.organisation)
		.filter((name) => charter.notEndorsed.includes(name));
	if (charter.notEndorsed.length > 0)
		gaps.push({ kind: 'not_endorsed', names: charter.notEndorsed });
	if (earlier.length > 0) gaps.push({ kind: 'earlier_wording', names: earlier });
	return gaps;
}

/** Steps 4–5 belong to Option 2 (create), the coalitions' decisions to Option 1 (join). */
function sectionGaps(doc: Y.Doc, charter: Charter): CharterGap[] {
	const gaps: CharterGap[] = [];
	const path = readPathOption(doc);
	if (path !== 'create') {
		if (charter.coalitions.length === 0) gaps.push({ kind: 'no_coalitions' });
		const undecided = charter.coalitions.filter((entry) => entry.decision === null);
		if (undecided.length > 0)
			gaps.push({ kind: 'undecided', names: undecided.map((entry) => entry.name) });
	}
	if (path === 'join') return gaps;
	if (charter.tasks.length === 0) gaps.push({ kind: 'no_tasks' });
	const leaderless = charter.tasks.filter((task) => !task.roles.some((r) => r.role === 'lead'));
	if (leaderless.length > 0) gaps.push({ kind: 'no_lead', names: leaderless.map((t) => t.title) });
	const waiting = charter.tasks
		.flatMap((task) => task.roles)
		.filter((role) => role.organisationId && !role.accepted).length;
	if (waiting > 0) gaps.push({ kind: 'not_accepted', count: waiting });
	const pending = readPrinciplesPending(doc);
	if (charter.principles.length === 0) gaps.push({ kind: 'no_principles' });
	if (pending > 0) gaps.push({ kind: 'principles_pending', count: pending });
	if (charter.rhythm === '') gaps.push({ kind: 'no_rhythm' });
	return gaps;
}

function readPrinciplesPending(doc: Y.Doc): number {
	return readPrinciples(doc).filter((entry) => !entry.agreed && entry.text.trim() !== '').length;
}
