/**
 * Private ratings, one concept for two features: Option 1's scores (each candidate rated 1–5 on
 * five criteria) and the ally map (each ally placed 1–5 on influence and interest). Each voter's
 * ratings are stored by the server, never in the document; the facilitators see only who has
 * rated how much; a reveal turns the counted voices' ratings (voices.ts) into aggregates per
 * dimension, and no user id leaves this module.
 */
import type { CoreServices } from './ports/services';
import type { Membership, Storage, StoredPlacement, StoredScore } from './ports/storage';
import { CRITERIA, type Criterion, type RevealedScores } from '../shared/candidates';
import { MAP_AXES, type MapAxis, type RevealedPlacement } from '../shared/ally-map';
import type { VoiceMode } from '../shared/consensus';
import { mostDisputed, summariseRatings, type RatingSummary } from '../shared/score-summary';
import type { MapProgress, ScoringProgress, VoiceMember } from '../shared/voices';
import {
	listInputMembers,
	listVoices,
	resolveInputMember,
	toVoiceMember,
	type InputMemberDecision
} from './voices';

type RatingServices = Pick<CoreServices, 'storage'>;

/** One voter's rating of one item on one dimension, whichever feature stored it. */
export interface Rating<Dimension extends string = string> {
	itemId: string;
	userId: string;
	dimension: Dimension;
	value: number;
	/** Who typed it in: the voter, or a facilitator for them. */
	enteredBy: string;
}

/** A feature's ratings: what it rates, on which dimensions, and where they are stored. */
export interface RatingKind<Dimension extends string> {
	dimensions: readonly Dimension[];
	list(storage: Storage, workshopId: string): Promise<Rating<Dimension>[]>;
	listByUser(storage: Storage, workshopId: string, userId: string): Promise<Rating<Dimension>[]>;
}

export const SCORES: RatingKind<Criterion> = {
	dimensions: CRITERIA,
	async list(storage, workshopId) {
		return (await storage.scores.list(workshopId)).flatMap(scoreRating);
	},
	async listByUser(storage, workshopId, userId) {
		return (await storage.scores.listByUser(workshopId, userId)).flatMap(scoreRating);
	}
};

export const PLACEMENTS: RatingKind<MapAxis> = {
	dimensions: MAP_AXES,
	async list(storage, workshopId) {
		return (await storage.placements.list(workshopId)).flatMap(placementRatings);
	},
	async listByUser(storage, workshopId, userId) {
		return (await storage.placements.listByUser(workshopId, userId)).flatMap(placementRatings);
	}
};

function scoreRating(score: StoredScore): Rating<Criterion>[] {
	// A criterion this release does not know (a newer server's export) is not one of ours.
	if (!(CRITERIA as readonly string[]).includes(score.criterion)) return [];
	return [
		{
			itemId: score.candidateId,
			userId: score.userId,
			dimension: score.criterion as Criterion,
			value: score.score,
			enteredBy: score.enteredBy
		}
	];
}

function placementRatings(placement: StoredPlacement): Rating<MapAxis>[] {
	return MAP_AXES.map((axis) => ({
		itemId: placement.allyId,
		userId: placement.userId,
		dimension: axis,
		value: placement[axis],
		enteredBy: placement.enteredBy
	}));
}

interface RatingProgress {
	voice: VoiceMode;
	voices: VoiceMember[];
	members: VoiceMember[];
	/** Item id -> user id -> how many dimensions they rated, for the live items only. */
	rated: Record<string, Record<string, number>>;
}

/** Facilitators only: who has rated how much of which live item (counts, never values). */
export async function ratingProgress<Dimension extends string>(
	services: RatingServices,
	kind: RatingKind<Dimension>,
	workshopId: string,
	voice: VoiceMode,
	itemIds: readonly string[]
): Promise<RatingProgress> {
	const [voices, members, ratings] = await Promise.all([
		listVoices(services, workshopId, voice),
		listInputMembers(services, workshopId),
		kind.list(services.storage, workshopId)
	]);
	const rated: Record<string, Record<string, number>> = {};
	for (const id of itemIds) rated[id] = {};
	for (const rating of ratings) {
		const byUser = rated[rating.itemId];
		if (byUser) byUser[rating.userId] = (byUser[rating.userId] ?? 0) + 1;
	}
	return { voice, voices: voices.map(toVoiceMember), members: members.map(toVoiceMember), rated };
}

/** The counted voices' ratings of each item, summarised per dimension, with how many voices rated it. */
export async function summariseRated<Dimension extends string>(
	services: RatingServices,
	kind: RatingKind<Dimension>,
	workshopId: string,
	voice: VoiceMode,
	itemIds: readonly string[]
): Promise<Map<string, { voices: number; dimensions: Record<Dimension, RatingSummary> }>> {
	const counted = new Set(
		(await listVoices(services, workshopId, voice)).map((member) => member.userId)
	);
	const ratings = (await kind.list(services.storage, workshopId)).filter((rating) =>
		counted.has(rating.userId)
	);
	const summaries = new Map<
		string,
		{ voices: number; dimensions: Record<Dimension, RatingSummary> }
	>();
	for (const itemId of itemIds) {
		const ofItem = ratings.filter((rating) => rating.itemId === itemId);
		const dimensions = {} as Record<Dimension, RatingSummary>;
		for (const dimension of kind.dimensions) {
			dimensions[dimension] = summariseRatings(
				ofItem.filter((rating) => rating.dimension === dimension).map((rating) => rating.value)
			);
		}
		summaries.set(itemId, {
			voices: new Set(ofItem.map((rating) => rating.userId)).size,
			dimensions
		});
	}
	return summaries;
}

/**
 * A member's ratings as they may be shown to the sender: for someone else (a facilitator entering
 * for a member without a phone), only what the sender entered, never the member's own. Each
 * rating says whether someone other than the member entered it.
 */
export async function visibleRatings<Dimension extends string>(
	services: RatingServices,
	kind: RatingKind<Dimension>,
	sender: Membership,
	onBehalfOf: string | null
): Promise<
	| { ok: true; member: Membership; ratings: (Rating<Dimension> & { enteredByOther: boolean })[] }
	| Extract<InputMemberDecision, { ok: false }>
> {
	const decision = await resolveInputMember(services, sender, onBehalfOf);
	if (!decision.ok) return decision;
	const { member } = decision;
	const forOther = member.userId !== sender.userId;
	const ratings = (await kind.listByUser(services.storage, sender.workshopId, member.userId))
		.filter((rating) => !forOther || rating.enteredBy === sender.userId)
		.map((rating) => ({ ...rating, enteredByOther: rating.enteredBy !== member.userId }));
	return { ok: true, member, ratings };
}

export async function scoringProgress(
	services: RatingServices,
	workshopId: string,
	voice: VoiceMode,
	candidateIds: readonly string[]
): Promise<ScoringProgress> {
	const { rated, ...progress } = await ratingProgress(
		services,
		SCORES,
		workshopId,
		voice,
		candidateIds
	);
	return { ...progress, scored: rated };
}

export async function mapProgress(
	services: RatingServices,
	workshopId: string,
	voice: VoiceMode,
	allyIds: readonly string[]
): Promise<MapProgress> {
	const { rated, ...progress } = await ratingProgress(
		services,
		PLACEMENTS,
		workshopId,
		voice,
		allyIds
	);
	// A placement is both axes at once: a user placed an ally when they rated it at all.
	const placed: Record<string, number> = {};
	for (const byUser of Object.values(rated)) {
		for (const userId of Object.keys(byUser)) placed[userId] = (placed[userId] ?? 0) + 1;
	}
	return { ...progress, placed, allies: allyIds.length };
}

export async function summariseScores(
	services: RatingServices,
	workshopId: string,
	voice: VoiceMode,
	candidateIds: readonly string[],
	now = Date.now()
): Promise<Map<string, RevealedScores>> {
	const summaries = await summariseRated(services, SCORES, workshopId, voice, candidateIds);
	return new Map(
		[...summaries].map(([id, { dimensions }]) => [
			id,
			{ revealedAt: now, voice, criteria: dimensions, mostDisputed: mostDisputed(dimensions) }
		])
	);
}

export async function summarisePlacements(
	services: RatingServices,
	workshopId: string,
	voice: VoiceMode,
	allyIds: readonly string[],
	now = Date.now()
): Promise<Map<string, RevealedPlacement>> {
	const summaries = await summariseRated(services, PLACEMENTS, workshopId, voice, allyIds);
	return new Map(
		[...summaries].map(([id, { voices, dimensions }]) => [
			id,
			{ revealedAt: now, voice, voices, ...dimensions, mostDisputed: mostDisputed(dimensions) }
		])
	);
}
