/** After a round changes: the document gets what it may show, the facilitators the rest. */
import type { CommandContext } from './command';
import type { StoredRound } from '../ports/storage';
import { roundProgress, roundView } from '../voting';

/** Writes the round as `roundView` allows into the `rounds` root. */
export async function publishRound(context: CommandContext, round: StoredRound): Promise<void> {
	const ballots = await context.services.storage.votes.listBallots(context.workshopId, round.id);
	const view = roundView(round, ballots);
	await context.changeDocument((doc) => doc.getMap('rounds').set(round.id, view));
}

/** Sends the round's progress and hidden tally to the facilitators' sockets, and nobody else's. */
export async function notifyFacilitators(
	context: CommandContext,
	round: StoredRound
): Promise<void> {
	const ballots = await context.services.storage.votes.listBallots(context.workshopId, round.id);
	context.services.live.toFacilitators(
		context.workshopId,
		'round:progress',
		await roundProgress(context.services, round, ballots)
	);
}

/** Whether any of the user's sockets is connected to this workshop now. */
export function connectedIn(context: CommandContext): (userId: string) => Promise<boolean> {
	return (userId) => context.services.live.isConnected(context.workshopId, userId);
}

export async function getRound(
	context: CommandContext,
	roundId: string
): Promise<StoredRound | null> {
	return context.services.storage.votes.getRound(context.workshopId, roundId);
}

export function parseRoundId(payload: unknown): string | null {
	const roundId = (payload as { roundId?: unknown } | null)?.roundId;
	return typeof roundId === 'string' && roundId.length > 0 && roundId.length <= 100
		? roundId
		: null;
}
