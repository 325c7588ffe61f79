/**
 * Archiving at the end of a forum: the board becomes read-only for everyone (the Yjs connections
 * drop client writes while `meta.archived` is set, see server/yjs/connection.ts), while commands
 * keep working for the follow-up after the forum.
 */
import { defineCommand, refuse, type CommandContext } from './command';
import { recordHistory, snapshotOf, type DocSnapshot } from './history';
import { isArchived, setArchived } from '../../shared/archive';
import { parseReason, REASON_MAX } from '../../shared/charter';

/** An optional reason: absent, null or blank means none; too long is invalid. */
function parseOptionalReason(payload: unknown): { reason: string | null } | null {
	if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
	const reason = (payload as { reason?: unknown }).reason;
	if (
		reason === undefined ||
		reason === null ||
		(typeof reason === 'string' && reason.trim() === '')
	) {
		return { reason: null };
	}
	if (typeof reason !== 'string' || reason.trim().length > REASON_MAX) return null;
	return { reason: parseReason(reason) };
}

async function setWorkshopArchived(
	context: CommandContext,
	archived: boolean,
	reason: string | null
): Promise<void> {
	const at = Date.now();
	const outcome = {} as { snapshot: DocSnapshot };
	await context.changeDocument((doc) => {
		if (isArchived(doc) === archived)
			refuse('conflict', archived ? 'already_archived' : 'not_archived');
		setArchived(doc, archived, at);
		outcome.snapshot = snapshotOf(doc);
	});
	await recordHistory(context, archived ? 'archive' : 'unarchive', at, reason, outcome.snapshot);
	const { live, registry } = context.services;
	// The document says it too; the event makes every open app switch at once, with a notice.
	live.toWorkshop(context.workshopId, 'workshop:archived', {
		archived,
		at,
		by: context.membership.name
	});
	// Writes dropped while archived (one typed as the archive landed) are still in their clients:
	// ask every client for what the server lacks, so they arrive now and later edits apply on top.
	if (!archived) registry.requestMissing(context.workshopId);
}

export const archiveWorkshop = defineCommand<'workshop:archive'>({
	roles: ['facilitator'],
	parse: parseOptionalReason,
	async run(context, { reason }) {
		await setWorkshopArchived(context, true, reason ?? null);
		return { archived: true };
	}
});

export const unarchiveWorkshop = defineCommand<'workshop:unarchive'>({
	roles: ['facilitator'],
	parse: parseOptionalReason,
	async run(context, { reason }) {
		await setWorkshopArchived(context, false, reason ?? null);
		return { archived: false };
	}
});
