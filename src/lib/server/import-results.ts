/**
 * The server-owned results an import brings, recomputed or checked by this server rather than
 * copied: a reveal of Option 1's scores or of the ally map the file records (when, which voice)
 * is summarised again from the merged scores and placements; a facilitator's decision on a
 * candidate is taken where this server has none; a delegate's acceptance only when, in the merged
 * board, the ally still stands for that organisation and holds that role. What this server already
 * holds wins, so importing again changes nothing.
 */
import type * as Y from 'yjs';
import type { CoreServices } from './ports/services';
import { summarisePlacements, summariseScores } from './ratings';
import {
	DECISIONS,
	readCandidates,
	type CandidateResult,
	type RecordedDecision,
	type RevealedScores
} from '../shared/candidates';
import { VOICE_MODES, type VoiceMode } from '../shared/consensus';
import {
	acceptanceKey,
	readAllyOrganisation,
	readAssignedRole,
	type Acceptance
} from '../shared/acceptances';
import { getAllies } from '../shared/schema';
import type { RevealedPlacement } from '../shared/ally-map';
import type { WorkshopData } from './export-json';

export interface ImportedResults {
	scores: Map<string, RevealedScores>;
	decisions: Map<string, RecordedDecision>;
	placements: Map<string, RevealedPlacement>;
	acceptances: Acceptance[];
}

/** Summarises again (from storage, after the rows are merged) every reveal the file records. */
export async function recomputeResults(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	data: Pick<WorkshopData, 'revealed' | 'acceptances'>
): Promise<ImportedResults> {
	const results: ImportedResults = {
		scores: new Map(),
		decisions: new Map(),
		placements: new Map(),
		acceptances: []
	};
	for (const [candidateId, entry] of Object.entries(data.revealed.candidateResults)) {
		const { scores, decision } = (entry ?? {}) as Partial<
			Record<'scores' | 'decision', Record<string, unknown> | null>
		>;
		const reveal = revealOf(scores);
		if (reveal) {
			const summary = await summariseScores(
				services,
				workshopId,
				reveal.voice,
				[candidateId],
				reveal.at
			);
			results.scores.set(candidateId, summary.get(candidateId)!);
		}
		if (
			decision &&
			DECISIONS.includes(decision.value as never) &&
			typeof decision.by === 'string' &&
			decision.by.length <= 200 &&
			typeof decision.at === 'number'
		) {
			results.decisions.set(candidateId, {
				value: decision.value as RecordedDecision['value'],
				by: decision.by,
				at: decision.at
			});
		}
	}
	for (const [allyId, entry] of Object.entries(data.revealed.allyMap)) {
		const reveal = revealOf(entry as Record<string, unknown> | null);
		if (!reveal) continue;
		const summary = await summarisePlacements(
			services,
			workshopId,
			reveal.voice,
			[allyId],
			reveal.at
		);
		results.placements.set(allyId, summary.get(allyId)!);
	}
	for (const entry of Object.values(data.acceptances)) {
		const acceptance = entry as Partial<Acceptance> | null;
		if (
			acceptance &&
			typeof acceptance.taskId === 'string' &&
			typeof acceptance.allyId === 'string' &&
			typeof acceptance.organisationId === 'string' &&
			typeof acceptance.by === 'string' &&
			acceptance.by.length <= 200 &&
			typeof acceptance.at === 'number' &&
			typeof acceptance.role === 'string'
		) {
			const { taskId, allyId, organisationId, by, at, role } = acceptance;
			results.acceptances.push({ taskId, allyId, organisationId, by, at, role });
		}
	}
	return results;
}

/** Inside the server's transaction: writes what this server lacks, checked against the merged board. */
export function writeResults(
	doc: Y.Doc,
	results: ImportedResults,
	setIfChanged: (root: Y.Map<unknown>, key: string, value: unknown) => void
): void {
	const candidates = new Set(readCandidates(doc).map((candidate) => candidate.id));
	const root = doc.getMap('candidateResults');
	for (const candidateId of new Set([...results.scores.keys(), ...results.decisions.keys()])) {
		if (!candidates.has(candidateId)) continue;
		const current = (root.get(candidateId) ?? {}) as Partial<CandidateResult>;
		const next: CandidateResult = {
			scores: current.scores ?? results.scores.get(candidateId) ?? null,
			decision: current.decision ?? results.decisions.get(candidateId) ?? null
		};
		setIfChanged(root, candidateId, next);
	}
	const allies = getAllies(doc);
	const map = doc.getMap('allyMap');
	for (const [allyId, placement] of results.placements) {
		if (allies.has(allyId) && !map.has(allyId)) map.set(allyId, placement);
	}
	const acceptances = doc.getMap('acceptances');
	for (const acceptance of results.acceptances) {
		const key = acceptanceKey(acceptance.taskId, acceptance.allyId);
		if (acceptances.has(key)) continue;
		if (readAllyOrganisation(doc, acceptance.allyId) !== acceptance.organisationId) continue;
		if (readAssignedRole(doc, acceptance.taskId, acceptance.allyId) !== acceptance.role) continue;
		acceptances.set(key, { ...acceptance });
	}
}

function revealOf(
	value: Record<string, unknown> | null | undefined
): { at: number; voice: VoiceMode } | null {
	if (
		!value ||
		typeof value.revealedAt !== 'number' ||
		!VOICE_MODES.includes(value.voice as VoiceMode)
	)
		return null;
	return { at: value.revealedAt, voice: value.voice as VoiceMode };
}
