/**
 * The ally map's commands: each participant's private placement of allies on the influence ×
 * interest grid (stored by the server), and the reveal that writes the group's position and
 * spread per ally into the server-owned `allyMap` root.
 */
import { defineCommand, refuse, type CommandContext } from './command';
import {
	asRecord,
	isId,
	parseOnBehalfOf,
	parseOnBehalfOnly,
	myRatings,
	readLive,
	resolveVoter,
	revealTargets
} from './inputs';
import type { Placement } from '../../shared/ally-map';
import type { VoiceMode } from '../../shared/consensus';
import { isRating } from '../../shared/score-summary';
import { mapProgress, PLACEMENTS, summarisePlacements } from '../ratings';

export const placeAlly = defineCommand<'map:place'>({
	roles: ['participant', 'facilitator'],
	parse(raw) {
		const payload = asRecord(raw);
		const onBehalfOf = payload && parseOnBehalfOf(payload);
		if (!payload || !isId(payload.allyId) || onBehalfOf === undefined) return null;
		const placement = parsePlacement(payload.placement);
		if (placement === undefined) return null;
		return {
			allyId: payload.allyId,
			placement,
			onBehalfOf: onBehalfOf ?? undefined,
			key: payload.key as string
		};
	},
	idempotent: { scope: (payload) => `ally-map:${payload.allyId}` },
	async run(context, { allyId, placement, onBehalfOf }) {
		const voter = await resolveVoter(context, onBehalfOf ?? null);
		const live = await readLive(context, 'allies');
		if (!live.ids.includes(allyId)) refuse('not_found', 'ally');
		await context.services.storage.placements.set({
			workshopId: context.workshopId,
			allyId,
			userId: voter.userId,
			placement,
			enteredBy: context.userId,
			at: Date.now()
		});
		await sendMapProgress(context, live);
		return { allyId, userId: voter.userId, enteredBy: context.userId, placement };
	}
});

export const myPlacements = defineCommand<'map:mine'>({
	roles: ['participant', 'facilitator'],
	parse: parseOnBehalfOnly,
	async run(context, { onBehalfOf }) {
		const { member, ratings } = await myRatings(context, PLACEMENTS, onBehalfOf ?? null);
		const inputs: Record<string, Placement> = {};
		const enteredByOthers = new Set<string>();
		for (const rating of ratings) {
			(inputs[rating.itemId] ??= { influence: 0, interest: 0 })[rating.dimension] = rating.value;
			if (rating.enteredByOther) enteredByOthers.add(rating.itemId);
		}
		return { userId: member.userId, inputs, enteredByOthers: [...enteredByOthers] };
	}
});

export const mapStatus = defineCommand<'map:status'>({
	roles: ['facilitator'],
	parse: (raw) => (asRecord(raw) ? {} : null),
	async run(context) {
		const { voice, ids } = await readLive(context, 'allies');
		return mapProgress(context.services, context.workshopId, voice, ids);
	}
});

export const revealMap = defineCommand<'map:reveal'>({
	roles: ['facilitator'],
	parse(raw) {
		const allyId = asRecord(raw)?.allyId;
		return allyId === null || isId(allyId) ? { allyId } : null;
	},
	async run(context, { allyId }) {
		const { voice, ids } = await readLive(context, 'allies');
		const revealed = revealTargets(ids, allyId, 'ally');
		const summaries = await summarisePlacements(
			context.services,
			context.workshopId,
			voice,
			revealed
		);
		await context.changeDocument((doc) => {
			const map = doc.getMap('allyMap');
			for (const [id, summary] of summaries) map.set(id, summary);
		});
		return { revealed };
	}
});

export async function sendMapProgress(
	context: CommandContext,
	live: { voice: VoiceMode; ids: string[] }
): Promise<void> {
	context.services.live.toFacilitators(
		context.workshopId,
		'map:progress',
		await mapProgress(context.services, context.workshopId, live.voice, live.ids)
	);
}

/** A placement on both axes, null (remove), or undefined when malformed. */
function parsePlacement(value: unknown): Placement | null | undefined {
	if (value === null) return null;
	const placement = asRecord(value);
	if (!placement || !isRating(placement.influence) || !isRating(placement.interest))
		return undefined;
	return { influence: placement.influence, interest: placement.interest };
}
