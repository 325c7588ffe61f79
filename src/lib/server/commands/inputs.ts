/**
 * What the private-rating commands (scores, the ally map) share: payload checks, whom the input is
 * for and what of it the sender sees (the rules: src/lib/server/voices.ts and ratings.ts), and
 * progress sent to facilitators.
 */
import * as Y from 'yjs';
import type { Membership } from '../ports/storage';
import { refuse, type CommandContext } from './command';
import { readScoringVoice } from '../../shared/voices';
import { resolveInputMember } from '../voices';
import { visibleRatings, type Rating, type RatingKind } from '../ratings';
import type { VoiceMode } from '../../shared/consensus';

const ID = /^[A-Za-z0-9_-]{1,100}$/;

export function isId(value: unknown): value is string {
	return typeof value === 'string' && ID.test(value);
}

export function asRecord(payload: unknown): Record<string, unknown> | null {
	return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
		? (payload as Record<string, unknown>)
		: null;
}

/** `onBehalfOf` is absent or an id; anything else is an invalid payload (undefined: invalid). */
export function parseOnBehalfOf(payload: Record<string, unknown>): string | null | undefined {
	const value = payload.onBehalfOf;
	if (value === undefined || value === null) return null;
	return isId(value) ? value : undefined;
}

/** A payload holding only an optional `onBehalfOf` (the "mine" commands). */
export function parseOnBehalfOnly(raw: unknown): { onBehalfOf?: string } | null {
	const payload = asRecord(raw);
	const onBehalfOf = payload && parseOnBehalfOf(payload);
	if (!payload || onBehalfOf === undefined) return null;
	return { onBehalfOf: onBehalfOf ?? undefined };
}

/** The sender's (or the member they enter for) ratings they may see; refused as resolveVoter. */
export async function myRatings<Dimension extends string>(
	context: CommandContext,
	kind: RatingKind<Dimension>,
	onBehalfOf: string | null
): Promise<{ member: Membership; ratings: (Rating<Dimension> & { enteredByOther: boolean })[] }> {
	const visible = await visibleRatings(context.services, kind, context.membership, onBehalfOf);
	if (!visible.ok) refuse(visible.error, visible.reason);
	return visible;
}

/** The member the input is for (the rule: decideInputMember); refused when the sender may not. */
export async function resolveVoter(
	context: CommandContext,
	onBehalfOf: string | null
): Promise<Membership> {
	const decision = await resolveInputMember(context.services, context.membership, onBehalfOf);
	if (!decision.ok) refuse(decision.error, decision.reason);
	return decision.member;
}

/** The voice mode and the ids of items of one root, read from the live document. */
export function readLive(
	context: CommandContext,
	root: 'candidates' | 'allies'
): Promise<{ voice: VoiceMode; ids: string[] }> {
	return context.services.registry.readDocument(context.workshopId, (doc) => ({
		voice: readScoringVoice(doc),
		ids: [...doc.getMap(root)].filter(([, item]) => item instanceof Y.Map).map(([id]) => id)
	}));
}

/** What a reveal covers: every live item, or the one named (refused unless it is live). */
export function revealTargets(
	ids: string[],
	id: string | null,
	what: 'ally' | 'candidate'
): string[] {
	if (id !== null && !ids.includes(id)) refuse('not_found', what);
	return id === null ? ids : [id];
}
