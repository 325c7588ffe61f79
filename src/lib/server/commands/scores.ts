/**
 * Option 1's commands: private scores (stored by the server, never in the document), the reveal
 * that writes aggregates into `candidateResults`, the voice mode and the facilitator's decision.
 */
import { defineCommand, refuse, type CommandContext } from './command';
import {
	asRecord,
	isId,
	myRatings,
	parseOnBehalfOf,
	parseOnBehalfOnly,
	readLive,
	resolveVoter,
	revealTargets
} from './inputs';
import {
	isCriterion,
	isDecision,
	type Criterion,
	type CandidateResult
} from '../../shared/candidates';
import { isRating } from '../../shared/score-summary';
import { isVoiceMode, SCORING_VOICE_KEY } from '../../shared/voices';
import { setFacilitationSetting } from '../../shared/facilitation-settings';
import { SCORES, scoringProgress, summariseScores } from '../ratings';
import type { VoiceMode } from '../../shared/consensus';
import { sendMapProgress } from './ally-map';

export const setScores = defineCommand<'scores:set'>({
	roles: ['participant', 'facilitator'],
	parse(raw) {
		const payload = asRecord(raw);
		const scores = asRecord(payload?.scores);
		const onBehalfOf = payload && parseOnBehalfOf(payload);
		if (!payload || !isId(payload.candidateId) || !scores || onBehalfOf === undefined) return null;
		const entries = Object.entries(scores);
		if (entries.length === 0) return null;
		for (const [criterion, score] of entries) {
			if (!isCriterion(criterion) || (score !== null && !isRating(score))) return null;
		}
		return {
			candidateId: payload.candidateId,
			scores: scores as Partial<Record<Criterion, number | null>>,
			onBehalfOf: onBehalfOf ?? undefined,
			key: payload.key as string
		};
	},
	idempotent: { scope: (payload) => `candidate:${payload.candidateId}` },
	async run(context, { candidateId, scores, onBehalfOf }) {
		const voter = await resolveVoter(context, onBehalfOf ?? null);
		const live = await readLive(context, 'candidates');
		if (!live.ids.includes(candidateId)) refuse('not_found', 'candidate');
		const { storage } = context.services;
		await storage.scores.set({
			workshopId: context.workshopId,
			candidateId,
			userId: voter.userId,
			scores,
			enteredBy: context.userId,
			at: Date.now()
		});
		await sendProgress(context, live);
		// For someone else, a facilitator gets back only what they entered themselves.
		const { ratings } = await myRatings(context, SCORES, onBehalfOf ?? null);
		const mine: Partial<Record<Criterion, number>> = {};
		for (const rating of ratings) {
			if (rating.itemId === candidateId) mine[rating.dimension] = rating.value;
		}
		return { candidateId, userId: voter.userId, enteredBy: context.userId, scores: mine };
	}
});

export const myScores = defineCommand<'scores:mine'>({
	roles: ['participant', 'facilitator'],
	parse: parseOnBehalfOnly,
	async run(context, { onBehalfOf }) {
		const { member, ratings } = await myRatings(context, SCORES, onBehalfOf ?? null);
		const inputs: Record<string, Partial<Record<Criterion, number>>> = {};
		const enteredByOthers: string[] = [];
		for (const rating of ratings) {
			(inputs[rating.itemId] ??= {})[rating.dimension] = rating.value;
			if (rating.enteredByOther) enteredByOthers.push(`${rating.itemId}:${rating.dimension}`);
		}
		return { userId: member.userId, inputs, enteredByOthers };
	}
});

export const scoresStatus = defineCommand<'scores:status'>({
	roles: ['facilitator'],
	parse: (raw) => (asRecord(raw) ? {} : null),
	async run(context) {
		const { voice, ids } = await readLive(context, 'candidates');
		return scoringProgress(context.services, context.workshopId, voice, ids);
	}
});

export const revealScores = defineCommand<'scores:reveal'>({
	roles: ['facilitator'],
	parse(raw) {
		const candidateId = asRecord(raw)?.candidateId;
		return candidateId === null || isId(candidateId) ? { candidateId } : null;
	},
	async run(context, { candidateId }) {
		const { voice, ids } = await readLive(context, 'candidates');
		const revealed = revealTargets(ids, candidateId, 'candidate');
		const summaries = await summariseScores(context.services, context.workshopId, voice, revealed);
		await context.changeDocument((doc) => {
			const results = doc.getMap('candidateResults');
			for (const [id, scores] of summaries) {
				const previous = results.get(id) as Partial<CandidateResult> | undefined;
				results.set(id, { scores, decision: previous?.decision ?? null } satisfies CandidateResult);
			}
		});
		return { revealed };
	}
});

export const setVoiceMode = defineCommand<'scores:mode'>({
	roles: ['facilitator'],
	parse(raw) {
		const voice = asRecord(raw)?.voice;
		return isVoiceMode(voice) ? { voice } : null;
	},
	async run(context, { voice }) {
		await context.changeDocument((doc) =>
			setFacilitationSetting(doc, SCORING_VOICE_KEY, voice, Date.now())
		);
		await sendProgress(context, await readLive(context, 'candidates'));
		await sendMapProgress(context, await readLive(context, 'allies'));
		return { voice };
	}
});

export const decideCandidate = defineCommand<'candidate:decide'>({
	roles: ['facilitator'],
	parse(raw) {
		const payload = asRecord(raw);
		if (!payload || !isId(payload.candidateId)) return null;
		if (payload.decision !== null && !isDecision(payload.decision)) return null;
		return { candidateId: payload.candidateId, decision: payload.decision };
	},
	async run(context, { candidateId, decision }) {
		const { ids } = await readLive(context, 'candidates');
		if (!ids.includes(candidateId)) refuse('not_found', 'candidate');
		await context.changeDocument((doc) => {
			const results = doc.getMap('candidateResults');
			const previous = results.get(candidateId) as Partial<CandidateResult> | undefined;
			const recorded =
				decision === null ? null : { value: decision, by: context.membership.name, at: Date.now() };
			results.set(candidateId, {
				scores: previous?.scores ?? null,
				decision: recorded
			} satisfies CandidateResult);
		});
		return { candidateId, decision };
	}
});

async function sendProgress(
	context: CommandContext,
	live: { voice: VoiceMode; ids: string[] }
): Promise<void> {
	context.services.live.toFacilitators(
		context.workshopId,
		'scores:progress',
		await scoringProgress(context.services, context.workshopId, live.voice, live.ids)
	);
}
