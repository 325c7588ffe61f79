/** The ally map on the server: progress for the facilitators and the reveal's aggregates. */
import type { CoreServices } from './ports/services';
import type { RevealedPlacement } from '../shared/ally-map';
import type { VoiceMode } from '../shared/consensus';
import { mostDisputed, summariseRatings } from '../shared/score-summary';
import type { MapProgress } from '../shared/voices';
import { listInputMembers, listVoices, toVoiceMember } from './voices';

type MapServices = Pick<CoreServices, 'storage'>;

export async function mapProgress(
	services: MapServices,
	workshopId: string,
	voice: VoiceMode,
	allyIds: readonly string[]
): Promise<MapProgress> {
	const [voices, members, placements] = await Promise.all([
		listVoices(services, workshopId, voice),
		listInputMembers(services, workshopId),
		services.storage.placements.list(workshopId)
	]);
	const present = new Set(allyIds);
	const placed: Record<string, number> = {};
	for (const placement of placements) {
		if (present.has(placement.allyId))
			placed[placement.userId] = (placed[placement.userId] ?? 0) + 1;
	}
	return {
		voice,
		voices: voices.map(toVoiceMember),
		members: members.map(toVoiceMember),
		placed,
		allies: allyIds.length
	};
}

/** The counted voices' placements of each ally, summarised: no user id leaves this function. */
export async function summarisePlacements(
	services: MapServices,
	workshopId: string,
	voice: VoiceMode,
	allyIds: readonly string[],
	now = Date.now()
): Promise<Map<string, RevealedPlacement>> {
	const counted = new Set(
		(await listVoices(services, workshopId, voice)).map((member) => member.userId)
	);
	const placements = (await services.storage.placements.list(workshopId)).filter((placement) =>
		counted.has(placement.userId)
	);
	const summaries = new Map<string, RevealedPlacement>();
	for (const allyId of allyIds) {
		const mine = placements.filter((placement) => placement.allyId === allyId);
		const influence = summariseRatings(mine.map((placement) => placement.influence));
		const interest = summariseRatings(mine.map((placement) => placement.interest));
		summaries.set(allyId, {
			revealedAt: now,
			voice,
			voices: mine.length,
			influence,
			interest,
			mostDisputed: mostDisputed({ influence, interest })
		});
	}
	return summaries;
}
