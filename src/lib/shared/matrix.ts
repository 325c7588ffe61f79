/**
 * The who-does-what matrix (allies × tasks) and what it warns about: open tasks nobody leads, and
 * allies who lead too many open tasks to carry them all. Pure: fed from `readTasks` and the allies.
 */
import type { Task, TaskRole } from './tasks';

/** An ally leading more than this many open tasks is flagged as overloaded. */
export const OVERLOAD_LEAD_THRESHOLD = 3;

export function isOpen(task: Pick<Task, 'status'>): boolean {
	return task.status !== 'done';
}

export function buildMatrix(
	tasks: readonly Task[],
	allies: readonly { id: string }[],
	threshold = OVERLOAD_LEAD_THRESHOLD
): Matrix {
	const known = new Set(allies.map((ally) => ally.id));
	const cells = new Map<string, TaskRole>();
	const leadsOf = new Map<string, string[]>();
	const leadCount = new Map<string, number>();
	for (const task of tasks) {
		const leads: string[] = [];
		for (const [allyId, role] of Object.entries(task.roles)) {
			// Roles of a removed ally stay in the task (an undo brings them back) but count for nothing.
			if (!known.has(allyId)) continue;
			cells.set(cellKey(task.id, allyId), role);
			if (role !== 'lead') continue;
			leads.push(allyId);
			if (isOpen(task)) leadCount.set(allyId, (leadCount.get(allyId) ?? 0) + 1);
		}
		leadsOf.set(task.id, leads);
	}
	const unowned = new Set(
		tasks
			.filter((task) => isOpen(task) && (leadsOf.get(task.id) ?? []).length === 0)
			.map((task) => task.id)
	);
	// Two people naming different leads at the same moment: both stand until someone settles it.
	const contested = new Set([...leadsOf].filter(([, leads]) => leads.length > 1).map(([id]) => id));
	const overloaded = new Map([...leadCount].filter(([, count]) => count > threshold));
	return {
		role: (taskId, allyId) => cells.get(cellKey(taskId, allyId)) ?? null,
		leadsOf: (taskId) => leadsOf.get(taskId) ?? [],
		openLeads: (allyId) => leadCount.get(allyId) ?? 0,
		unowned,
		contested,
		overloaded
	};
}

function cellKey(taskId: string, allyId: string): string {
	return `${taskId}:${allyId}`;
}

export interface Matrix {
	role(taskId: string, allyId: string): TaskRole | null;
	/** The allies leading the task (more than one only after concurrent edits). */
	leadsOf(taskId: string): string[];
	/** How many open tasks the ally leads. */
	openLeads(allyId: string): number;
	/** Open tasks without a lead. */
	unowned: Set<string>;
	/** Tasks with more than one lead. */
	contested: Set<string>;
	/** Ally id -> open tasks led, for allies over the threshold. */
	overloaded: Map<string, number>;
}
