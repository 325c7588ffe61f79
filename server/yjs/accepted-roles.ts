/**
 * An accepted role changes only through a facilitator or the delegate who accepted it. Roles live
 * in the shared `tasks` root (any member edits step 4); a client's change to the role of a (task,
 * ally) pair in `acceptances` is put back to the accepted role in the same commit, unless it comes
 * from a facilitator or from the user who accepted. Like a forged server-owned write, it is applied
 * then reverted (refusing it would strand that client's later updates).
 */
import * as Y from 'yjs';
import { acceptanceKey, readAcceptances } from '../../src/lib/shared/acceptances';

/** Who sent a change, as the server knows them. */
export interface Writer {
	userId: string;
	role: 'facilitator' | 'participant' | 'observer';
}

/** The accepted roles this client transaction changed without the right: to be set back. */
export function findAcceptedRoleChanges(
	transaction: Y.Transaction,
	writer: Writer | undefined
): { roles: Y.Map<unknown>; allyId: string; role: string }[] {
	if (writer?.role === 'facilitator') return [];
	const doc = transaction.doc;
	const tasks = doc.getMap('tasks');
	let acceptances: ReturnType<typeof readAcceptances> | null = null;
	const found: { roles: Y.Map<unknown>; allyId: string; role: string }[] = [];
	for (const [type, keys] of transaction.changed) {
		if (!(type instanceof Y.Map) || type._item?.parentSub !== 'roles') continue;
		const task = type._item.parent;
		if (!(task instanceof Y.Map) || task._item?.parent !== tasks || !task._item.parentSub) continue;
		const taskId = task._item.parentSub;
		acceptances ??= readAcceptances(doc);
		// What each key held before this transaction: only a role still as accepted is guarded (once
		// changed by the delegate or a facilitator, the acceptance is stale and asks for a new one).
		const before = new Y.YMapEvent(type as Y.Map<unknown>, transaction, keys).changes.keys;
		for (const allyId of keys) {
			if (allyId === null) continue;
			const acceptance = acceptances.get(acceptanceKey(taskId, allyId));
			if (!acceptance || type.get(allyId) === acceptance.role) continue;
			if (before.get(allyId)?.oldValue !== acceptance.role) continue;
			if (writer && acceptance.byUserId === writer.userId) continue;
			found.push({ roles: type as Y.Map<unknown>, allyId, role: acceptance.role });
		}
	}
	return found;
}
