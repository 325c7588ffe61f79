/**
 * Option 1 (join an existing coalition): candidate coalitions in the shared `candidates` root, and
 * what the server reveals about them in the server-owned `candidateResults` root. A candidate is a
 * Y.Map under a random id, created whole in one transaction (every text field with it, so no two
 * browsers ever create the same container). Scores themselves live only in the server's database.
 */
import * as Y from 'yjs';
import { newId } from './ids';
import { applyTextDiff, readTexts } from './schema';
import type { VoiceMode } from './consensus';
import type { RatingSummary } from './score-summary';

export const CANDIDATE_NAME_MAX = 200;

/** name, members, the common goal, what it has, what it expects from us, notes. */
export const CANDIDATE_TEXT_FIELDS = {
	name: { label: 'candidate_field_name', max: CANDIDATE_NAME_MAX, multiline: false },
	members: { label: 'candidate_field_members', max: 2000, multiline: true },
	goal: { label: 'candidate_field_goal', max: 2000, multiline: true },
	has: { label: 'candidate_field_has', max: 2000, multiline: true },
	expects: { label: 'candidate_field_expects', max: 2000, multiline: true },
	notes: { label: 'candidate_field_notes', max: 4000, multiline: true }
} as const;

export type CandidateTextField = keyof typeof CANDIDATE_TEXT_FIELDS;
export const CANDIDATE_FIELD_NAMES = Object.keys(CANDIDATE_TEXT_FIELDS) as CandidateTextField[];

/** The method's five criteria for judging a coalition to join, in its order. */
export const CRITERIA = [
	'reputation',
	'leadership',
	'consensus',
	'resources',
	'flexibility'
] as const;
export type Criterion = (typeof CRITERIA)[number];

export function isCriterion(value: unknown): value is Criterion {
	return typeof value === 'string' && (CRITERIA as readonly string[]).includes(value);
}

/** The facilitator's decision: join, negotiate (the conditions), or don't join. */
export const DECISIONS = ['join', 'negotiate', 'decline'] as const;
export type Decision = (typeof DECISIONS)[number];

export function isDecision(value: unknown): value is Decision {
	return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

export function getCandidates(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap('candidates');
}

/** Creates the candidate with all its fields in one transaction, under a new random key. */
export function addCandidate(
	doc: Y.Doc,
	input: { name: string },
	now = Date.now(),
	origin: unknown = null
): string {
	const id = newId();
	doc.transact(() => {
		const candidate = new Y.Map<unknown>();
		for (const field of CANDIDATE_FIELD_NAMES) {
			candidate.set(
				field,
				new Y.Text(field === 'name' ? input.name.slice(0, CANDIDATE_NAME_MAX) : '')
			);
		}
		candidate.set('createdAt', now);
		getCandidates(doc).set(id, candidate);
	}, origin);
	return id;
}

export function hasCandidate(doc: Y.Doc, id: string): boolean {
	return getCandidates(doc).get(id) instanceof Y.Map;
}

/** The live Y.Text of one of a candidate's fields (for binding to an input), if it exists. */
export function getCandidateText(doc: Y.Doc, id: string, field: CandidateTextField): Y.Text | null {
	const candidate = getCandidates(doc).get(id);
	const text = candidate instanceof Y.Map ? candidate.get(field) : null;
	return text instanceof Y.Text ? text : null;
}

export function setCandidateField(
	doc: Y.Doc,
	id: string,
	field: CandidateTextField,
	value: string,
	origin: unknown = null
): void {
	const text = getCandidateText(doc, id, field);
	if (text) applyTextDiff(text, value.slice(0, CANDIDATE_TEXT_FIELDS[field].max), origin);
}

export function removeCandidate(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => getCandidates(doc).delete(id), origin);
}

export function readCandidates(doc: Y.Doc): Candidate[] {
	const candidates: Candidate[] = [];
	for (const [id, candidate] of getCandidates(doc)) {
		if (!(candidate instanceof Y.Map)) continue;
		const fields = readTexts(candidate, CANDIDATE_FIELD_NAMES);
		const createdAt = candidate.get('createdAt');
		candidates.push({
			id,
			name: fields.name,
			fields,
			createdAt: typeof createdAt === 'number' ? createdAt : 0
		});
	}
	return candidates.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** `candidateResults` root (server-owned): candidate id -> what was revealed and decided. */
export function readCandidateResults(doc: Y.Doc): Map<string, CandidateResult> {
	const results = new Map<string, CandidateResult>();
	for (const [id, value] of doc.getMap('candidateResults')) {
		if (typeof value !== 'object' || value === null) continue;
		const { scores, decision } = value as Partial<CandidateResult>;
		results.set(id, {
			scores: scores && typeof scores === 'object' && 'criteria' in scores ? scores : null,
			decision:
				decision && typeof decision === 'object' && isDecision(decision.value) ? decision : null
		});
	}
	return results;
}

export interface Candidate {
	id: string;
	name: string;
	fields: Record<CandidateTextField, string>;
	createdAt: number;
}

/** One candidate's entry in `candidateResults`. */
export interface CandidateResult {
	/** Null until the facilitator reveals the scores. */
	scores: RevealedScores | null;
	decision: RecordedDecision | null;
}

/** The group's scores for one candidate at the moment of the reveal: aggregates only, no names. */
export interface RevealedScores {
	revealedAt: number;
	/** Whose scores counted: every participant, or each organisation's delegate. */
	voice: VoiceMode;
	criteria: Record<Criterion, RatingSummary>;
	/** Where the group disagrees most (null: nowhere). */
	mostDisputed: Criterion | null;
}

export interface RecordedDecision {
	value: Decision;
	/** The facilitator's name, as shown. */
	by: string;
	at: number;
}
