/**
 * The charter's sections as plain values, read from the document at the lock (and for the
 * facilitator's preview): the endorsing organisations, who does what, step 5's principles and
 * rhythm, Option 1's decisions. Tolerant of any shape older documents may hold.
 */
import * as Y from 'yjs';
import type { Proposal, Round, RoundResults } from './consensus';
import type { Decision } from './candidates';
import { readCandidateResults, readCandidates } from './candidates';
import { readAcceptances } from './acceptances';
import { endorsesWording, readEndorsements } from './endorsements';
import { readPrinciples, getRhythmText } from './maintenance';
import { organisationKey } from './schema';

/** A workshop organisation as the server records it. */
export interface CharterOrganisation {
	id: string;
	name: string;
}

export interface CharterEndorsement {
	organisation: string;
	organisationId: string | null;
	reservation: string | null;
	/**
	 * `endorsement`: recorded by its delegate or by the facilitator in the room; `vote`: its
	 * delegate's position in a named round where each organisation had one voice.
	 */
	via: 'endorsement' | 'vote';
	/** Who recorded it (the delegate, or who entered the vote for them); null when not known. */
	by: string | null;
	/** The facilitator's name when they recorded it for the organisation. */
	recordedBy: string | null;
	at: number | null;
}

export interface CharterTask {
	id: string;
	title: string;
	description: string;
	/** `YYYY-MM-DD`, or null when none was set. */
	deadline: string | null;
	status: string | null;
	roles: CharterRole[];
}

export interface CharterRole {
	allyId: string;
	ally: string;
	role: string;
	/** The workshop organisation the ally stands for: only its delegate can accept the role. */
	organisationId?: string | null;
	accepted: boolean;
	/** The delegate who accepted it. */
	acceptedBy?: string | null;
}

export interface CharterPrinciple {
	id: string;
	text: string;
}

export interface CharterCoalition {
	id: string;
	name: string;
	decision: Decision | null;
	by: string | null;
}

/**
 * The organisations that endorsed `proposal` as worded now: every recorded endorsement of it, and
 * — in a named round where organisations voted — each organisation's own endorsing position unless
 * it recorded one. Votes of a person never stand for their organisation, and an anonymous round
 * names nobody: there, only recorded endorsements name organisations.
 */
export function assembleEndorsements(
	doc: Y.Doc,
	proposal: Proposal,
	round: Round & { results: RoundResults },
	organisations: readonly CharterOrganisation[]
): { endorsedBy: CharterEndorsement[]; notEndorsed: string[] } {
	const byId = new Map(organisations.map((organisation) => [organisation.id, organisation]));
	const byKey = new Map(
		organisations.map((organisation) => [organisationKey(organisation.name), organisation])
	);
	const endorsedBy: CharterEndorsement[] = [];
	const covered = new Set<string>();
	for (const entry of readEndorsements(doc).values()) {
		if (!endorsesWording(entry, proposal)) continue;
		const name = byId.get(entry.organisationId)?.name ?? entry.organisation;
		covered.add(organisationKey(name));
		endorsedBy.push({
			organisation: name,
			organisationId: entry.organisationId,
			reservation: entry.reservation,
			via: 'endorsement',
			by: entry.by,
			recordedBy: entry.recordedBy,
			at: entry.at
		});
	}
	if (round.voice === 'organisation' && !round.anonymous) {
		for (const entry of round.results.endorsements) {
			const key = organisationKey(entry.organisation);
			if (entry.proposalId !== proposal.id || covered.has(key)) continue;
			if (!endorsesPosition(round.mode, entry.position)) continue;
			covered.add(key);
			endorsedBy.push({
				organisation: entry.organisation,
				organisationId: byKey.get(key)?.id ?? null,
				reservation: entry.reservation,
				via: 'vote',
				by: entry.enteredBy,
				recordedBy: null,
				at: round.revealedAt
			});
		}
	}
	endorsedBy.sort((a, b) => a.organisation.localeCompare(b.organisation));
	const notEndorsed = organisations
		.filter((organisation) => !covered.has(organisationKey(organisation.name)))
		.map((organisation) => organisation.name)
		.sort((a, b) => a.localeCompare(b));
	return { endorsedBy, notEndorsed };
}

/** Same rule as `endorses` in charter.ts (kept here so the two modules don't import each other). */
function endorsesPosition(mode: Round['mode'], position: string): boolean {
	if (mode === 'consent') return position !== 'block';
	const value = Number(position);
	if (!Number.isFinite(value)) return false;
	return mode === 'gradient' ? value >= 2 : value > 0;
}

/**
 * Step 4's tasks as plain values. Tolerant of any shape a task may have (older documents may lack
 * fields): Y.Text or string texts, a Y.Map or object of roles. A role counts as accepted when its
 * organisation's delegate accepted that very role (a changed role asks for a new acceptance).
 */
export function readWhoDoesWhat(doc: Y.Doc): CharterTask[] {
	const allies = doc.getMap('allies');
	const acceptances = readAcceptances(doc);
	const tasks: (CharterTask & { createdAt: number })[] = [];
	for (const [id, task] of doc.getMap('tasks')) {
		if (!(task instanceof Y.Map)) continue;
		const roles: CharterRole[] = [];
		for (const [allyId, role] of entriesOf(task.get('roles'))) {
			if (typeof role !== 'string') continue;
			const ally = allies.get(allyId);
			const organisationId = ally instanceof Y.Map ? ally.get('organisationId') : null;
			const acceptance = acceptances.get(`${id}:${allyId}`);
			const accepted = acceptance !== undefined && (acceptance.role ?? role) === role;
			roles.push({
				allyId,
				ally: ally instanceof Y.Map ? textOf(ally.get('name')) : '',
				role,
				organisationId:
					typeof organisationId === 'string' && organisationId !== '' ? organisationId : null,
				accepted,
				acceptedBy: accepted ? acceptance.by : null
			});
		}
		const deadline = task.get('deadline');
		const status = task.get('status');
		const createdAt = task.get('createdAt');
		tasks.push({
			id,
			title: textOf(task.get('title')),
			description: textOf(task.get('description')),
			deadline: typeof deadline === 'string' && deadline !== '' ? deadline : null,
			status: typeof status === 'string' ? status : null,
			roles: roles.sort((a, b) => a.ally.localeCompare(b.ally) || a.allyId.localeCompare(b.allyId)),
			createdAt: typeof createdAt === 'number' ? createdAt : 0
		});
	}
	return tasks
		.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
		.map(({ createdAt: _createdAt, ...task }) => task);
}

/** Step 5's principles the group adopted (ticked), in the order they were written. */
export function readAdoptedPrinciples(doc: Y.Doc): CharterPrinciple[] {
	return readPrinciples(doc)
		.filter((principle) => principle.agreed && principle.text.trim() !== '')
		.map((principle) => ({ id: principle.id, text: principle.text.trim() }));
}

export function readRhythm(doc: Y.Doc): string {
	return getRhythmText(doc)?.toString().trim() ?? '';
}

/** Option 1: each candidate coalition with the facilitator's decision on it. */
export function readCoalitionDecisions(doc: Y.Doc): CharterCoalition[] {
	const results = readCandidateResults(doc);
	return readCandidates(doc).map((candidate) => {
		const decision = results.get(candidate.id)?.decision ?? null;
		return {
			id: candidate.id,
			name: candidate.name.trim(),
			decision: decision?.value ?? null,
			by: decision?.by ?? null
		};
	});
}

function textOf(value: unknown): string {
	if (value instanceof Y.Text) return value.toString();
	return typeof value === 'string' ? value : '';
}

function entriesOf(value: unknown): [string, unknown][] {
	if (value instanceof Y.Map) return [...value.entries()];
	if (
		value &&
		typeof value === 'object' &&
		!(value instanceof Y.AbstractType) &&
		!Array.isArray(value)
	) {
		return Object.entries(value);
	}
	return [];
}
