/**
 * The workshop's event log: each lock, unlock, archive and unarchive, and each step the group is
 * first brought to, is recorded with who, when and why, and with a full-state copy of the document taken inside the server transaction that made the
 * change (so the copy is exactly the state that change produced).
 */
import * as Y from 'yjs';
import type { CommandContext } from './command';
import type { WorkshopEventKind } from '../ports/storage';

export interface DocSnapshot {
	state: Uint8Array;
	charter: Record<string, unknown>;
	charterVersion: number;
}

/** Call at the end of a `changeDocument` callback. */
export function snapshotOf(doc: Y.Doc): DocSnapshot {
	const charter = doc.getMap('charter').toJSON();
	const version = charter.version;
	return {
		state: Y.encodeStateAsUpdate(doc),
		charter,
		charterVersion: typeof version === 'number' ? version : 0
	};
}

/**
 * Stores the event and its version once the document change is committed. A storage failure here
 * leaves the change in the document without its history row: the command answers `unavailable`
 * and the failure is logged (both live in the same database, so this is a narrow window).
 */
export async function recordHistory(
	context: CommandContext,
	kind: WorkshopEventKind,
	at: number,
	reason: string | null,
	snapshot: DocSnapshot
): Promise<void> {
	await context.services.storage.history.record({
		workshopId: context.workshopId,
		kind,
		userId: context.userId,
		userName: context.membership.name,
		reason,
		at,
		charterVersion: snapshot.charterVersion,
		charter: snapshot.charter,
		state: snapshot.state
	});
}
