/**
 * What changed between two records of a workshop (a saved version and now): allies, tasks and roles
 * added, changed or removed — by their ids, so a renamed ally is changed, not removed and added — and
 * whether the charter differs.
 */
import type { RecordAlly, RecordTask, WorkshopRecord } from './record';

export interface RecordDiff {
	allies: Changes;
	tasks: Changes;
	/** `task · ally`, with the role then and now. */
	roles: { added: string[]; removed: string[]; changed: string[] };
	charter: { changed: boolean; then: string | null; now: string | null };
}

export interface Changes {
	added: string[];
	changed: string[];
	removed: string[];
}

export function compareRecords(then: WorkshopRecord, now: WorkshopRecord): RecordDiff {
	return {
		allies: compareById(then.allies, now.allies, (ally) => ally.name, allySignature),
		tasks: compareById(then.tasks, now.tasks, (task) => task.title, taskSignature),
		roles: compareRoles(then.tasks, now.tasks),
		charter: {
			changed: JSON.stringify(then.charter) !== JSON.stringify(now.charter),
			then: then.charter?.proposal.wording ?? null,
			now: now.charter?.proposal.wording ?? null
		}
	};
}

export function isUnchanged(diff: RecordDiff): boolean {
	const lists = [diff.allies, diff.tasks, diff.roles];
	return (
		!diff.charter.changed &&
		lists.every((list) => list.added.length + list.changed.length + list.removed.length === 0)
	);
}

function compareById<T extends { id: string }>(
	then: readonly T[],
	now: readonly T[],
	label: (entry: T) => string,
	signature: (entry: T) => string
): Changes {
	const before = new Map(then.map((entry) => [entry.id, entry]));
	const after = new Map(now.map((entry) => [entry.id, entry]));
	const changes: Changes = { added: [], changed: [], removed: [] };
	for (const [id, entry] of after) {
		const previous = before.get(id);
		if (!previous) changes.added.push(label(entry));
		else if (signature(previous) !== signature(entry)) changes.changed.push(label(entry));
	}
	for (const [id, entry] of before) if (!after.has(id)) changes.removed.push(label(entry));
	return changes;
}

function allySignature(ally: RecordAlly): string {
	return JSON.stringify([
		ally.name,
		ally.type,
		ally.convergence,
		ally.status,
		ally.nextActionDate,
		ally.organisationId,
		ally.fields,
		ally.pipeline
	]);
}

function taskSignature(task: RecordTask): string {
	return JSON.stringify([task.title, task.description, task.deadline, task.status]);
}

function compareRoles(
	then: readonly RecordTask[],
	now: readonly RecordTask[]
): RecordDiff['roles'] {
	const roles = (tasks: readonly RecordTask[]) =>
		new Map(
			tasks.flatMap((task) =>
				task.roles.map(
					(role) =>
						[
							`${task.id}:${role.allyId}`,
							{ label: `${task.title} · ${role.ally}`, role: role.role }
						] as const
				)
			)
		);
	const before = roles(then);
	const after = roles(now);
	const changes: RecordDiff['roles'] = { added: [], removed: [], changed: [] };
	for (const [key, entry] of after) {
		const previous = before.get(key);
		if (!previous) changes.added.push(`${entry.label} (${entry.role})`);
		else if (previous.role !== entry.role)
			changes.changed.push(`${entry.label} (${previous.role} → ${entry.role})`);
	}
	for (const [key, entry] of before)
		if (!after.has(key)) changes.removed.push(`${entry.label} (${entry.role})`);
	return changes;
}
