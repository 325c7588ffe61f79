/**
 * The server-owned results an import brings, recomputed or checked by this server rather than
 * copied: a reveal of Option 1's scores or of the ally map the file records (when, which voice)
 * is summarised again from the merged scores and placements; a facilitator's decision on a
 * candidate is taken where this server has none; a delegate's acceptance only when, in the merged
 * board, the ally still stands for that organisation and holds that role; an organisation's
 * endorsement when the merged workshop has that organisation. What this server already
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
import {
	ENDORSEMENT_RESERVATION_MAX,
	isEndorsement,
	type OrganisationEndorsement
} from '../shared/endorsements';
import type { RevealedPlacement } from '../shared/ally-map';
import type { WorkshopData } from './export-json';

export interface ImportedResults {
	scores: Map<string, RevealedScores>;
	decisions: Map<string, RecordedDecision>;
	placements: Map<string, RevealedPlacement>;
	acceptances: Acceptance[];
	endorsements: OrganisationEndorsement[];
}

/** Summarises again (from storage, after the rows are merged) every reveal the file records. */
export async function recomputeResults(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	data: Pick<WorkshopData, 'revealed' | 'acceptances' | 'endorsements'>
): Promise<ImportedResults> {
	const results: ImportedResults = {
		scores: new Map(),
		decisions: new Map(),
		placements: new Map(),
		acceptances: [],
		endorsements: []
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
	// An endorsement counts only for an organisation the merged workshop holds (checked again below).
	const organisations = new Set(
		(await services.storage.listOrganisations(workshopId)).map((entry) => entry.id)
	);
	for (const entry of Object.values(data.endorsements ?? {})) {
		if (!isEndorsement(entry) || !organisations.has(entry.organisationId)) continue;
		if (entry.organisation.length > 200 || entry.by.length > 200) continue;
		if (entry.reservation !== null && entry.reservation.length > ENDORSEMENT_RESERVATION_MAX)
			continue;
		const { organisationId, organisation, proposalId, wording, reservation, by, at } = entry;
		const byUserId = typeof entry.byUserId === 'string' ? entry.byUserId : '';
		const recordedBy = typeof entry.recordedBy === 'string' ? entry.recordedBy : null;
		results.endorsements.push({
			organisationId,
			organisation,
			proposalId,
			wording,
			reservation,
			by,
			byUserId,
			recordedBy,
			at
		});
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
	// What this server holds wins; the file's endorsement fills an organisation that has none here.
	const endorsements = doc.getMap('endorsements');
	for (const endorsement of results.endorsements) {
		if (!endorsements.has(endorsement.organisationId))
			endorsements.set(endorsement.organisationId, { ...endorsement });
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
