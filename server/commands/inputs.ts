/**
 * What the private-input commands (scores, the ally map) share: payload checks, who the input is
 * for (the sender, or a member a facilitator enters it for), and progress sent to facilitators.
 */
import * as Y from 'yjs';
import type { Membership } from '../../src/lib/server/ports/storage';
import { refuse, type CommandContext } from './command';
import { facilitatorsRoom } from '../socket/rooms';
import { readScoringVoice } from '../../src/lib/shared/voices';
import { resolveInputMember } from '../../src/lib/server/voices';
import type { VoiceMode } from '../../src/lib/shared/consensus';

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

/**
 * A member's stored inputs as they may be shown to the sender: for someone else, a facilitator
 * sees only what they entered themselves, never the member's own. Each row says whether someone
 * other than the member entered it.
 */
export async function visibleInputs<Row extends { enteredBy: string }>(
	context: CommandContext,
	onBehalfOf: string | undefined,
	list: (userId: string) => Promise<Row[]>
): Promise<{ voter: Membership; rows: { row: Row; enteredByOther: boolean }[] }> {
	const voter = await resolveVoter(context, onBehalfOf ?? null);
	const forOther = voter.userId !== context.userId;
	const rows = (await list(voter.userId))
		.filter((row) => !forOther || row.enteredBy === context.userId)
		.map((row) => ({ row, enteredByOther: row.enteredBy !== voter.userId }));
	return { voter, rows };
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

/** Sends an event to the workshop's facilitators only. */
export function toFacilitators(
	context: CommandContext
): ReturnType<NonNullable<CommandContext['services']['io']>['to']> | null {
	return context.services.io?.to(facilitatorsRoom(context.workshopId)) ?? null;
}
