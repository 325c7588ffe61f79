/**
 * Option 1's scores on the server: progress for the facilitators (counts, never scores) and the
 * reveal, which turns the counted voices' private scores into aggregates per criterion.
 */
import type { CoreServices } from './ports/services';
import type { StoredScore } from './ports/storage';
import { CRITERIA, type Criterion, type RevealedScores } from '../shared/candidates';
import type { VoiceMode } from '../shared/consensus';
import { mostDisputed, summariseRatings, type RatingSummary } from '../shared/score-summary';
import type { ScoringProgress } from '../shared/voices';
import { listInputMembers, listVoices, toVoiceMember } from './voices';

type ScoringServices = Pick<CoreServices, 'storage'>;

export async function scoringProgress(
	services: ScoringServices,
	workshopId: string,
	voice: VoiceMode,
	candidateIds: readonly string[]
): Promise<ScoringProgress> {
	const [voices, members, scores] = await Promise.all([
		listVoices(services, workshopId, voice),
		listInputMembers(services, workshopId),
		services.storage.scores.list(workshopId)
	]);
	const scored: Record<string, Record<string, number>> = {};
	for (const id of candidateIds) scored[id] = {};
	for (const score of scores) {
		const byUser = scored[score.candidateId];
		if (byUser) byUser[score.userId] = (byUser[score.userId] ?? 0) + 1;
	}
	return { voice, voices: voices.map(toVoiceMember), members: members.map(toVoiceMember), scored };
}

/** The counted voices' scores of each candidate, summarised: no user id leaves this function. */
export async function summariseScores(
	services: ScoringServices,
	workshopId: string,
	voice: VoiceMode,
	candidateIds: readonly string[],
	now = Date.now()
): Promise<Map<string, RevealedScores>> {
	const counted = new Set(
		(await listVoices(services, workshopId, voice)).map((member) => member.userId)
	);
	const scores = (await services.storage.scores.list(workshopId)).filter((score) =>
		counted.has(score.userId)
	);
	const summaries = new Map<string, RevealedScores>();
	for (const candidateId of candidateIds) {
		const criteria = summariseCandidate(
			scores.filter((score) => score.candidateId === candidateId)
		);
		summaries.set(candidateId, {
			revealedAt: now,
			voice,
			criteria,
			mostDisputed: mostDisputed(criteria)
		});
	}
	return summaries;
}

function summariseCandidate(scores: StoredScore[]): Record<Criterion, RatingSummary> {
	const criteria = {} as Record<Criterion, RatingSummary>;
	for (const criterion of CRITERIA) {
		criteria[criterion] = summariseRatings(
			scores.filter((score) => score.criterion === criterion).map((score) => score.score)
		);
	}
	return criteria;
}
