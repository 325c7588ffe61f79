/**
 * Step 4's acceptances: an ally can stand for one of the workshop's organisations (a plain
 * `organisationId` in the ally's map, which any member may set), and that organisation's delegate
 * accepts the ally's assignments on tasks from their phone. Acceptances live in the server-owned
 * `acceptances` root, written only by the `tasks:accept` command.
 *
 * Tasks belong to step 4's module (shared `tasks` root: id -> Y.Map with `title` and `roles`, ally
 * id -> role); this file reads them defensively, as plain as it can.
 */
import * as Y from 'yjs';
import { getAllies } from './schema';

export function acceptanceKey(taskId: string, allyId: string): string {
	return `${taskId}:${allyId}`;
}

/** Links the ally to a workshop organisation (null: to none). */
export function setAllyOrganisation(
	doc: Y.Doc,
	allyId: string,
	organisationId: string | null,
	origin: unknown = null
): void {
	doc.transact(() => {
		const ally = getAllies(doc).get(allyId);
		if (!(ally instanceof Y.Map)) return;
		if (organisationId === null) ally.delete('organisationId');
		else ally.set('organisationId', organisationId);
	}, origin);
}

export function readAllyOrganisation(doc: Y.Doc, allyId: string): string | null {
	const ally = getAllies(doc).get(allyId);
	const value = ally instanceof Y.Map ? ally.get('organisationId') : null;
	return typeof value === 'string' && value !== '' ? value : null;
}

/** Every (task, ally) pair with a role: what a delegate may accept for the ally's organisation. */
export function readAssignments(doc: Y.Doc): Assignment[] {
	const assignments: Assignment[] = [];
	for (const [taskId, task] of doc.getMap('tasks')) {
		if (!(task instanceof Y.Map)) continue;
		const roles = task.get('roles');
		if (!(roles instanceof Y.Map)) continue;
		const title = task.get('title');
		const createdAt = task.get('createdAt');
		for (const [allyId, role] of roles) {
			if (typeof role !== 'string') continue;
			assignments.push({
				taskId,
				allyId,
				role,
				title: title instanceof Y.Text ? title.toString() : typeof title === 'string' ? title : '',
				createdAt: typeof createdAt === 'number' ? createdAt : 0
			});
		}
	}
	return assignments.sort((a, b) => a.createdAt - b.createdAt || a.taskId.localeCompare(b.taskId));
}

/** The ally's current role in the task, or null. */
export function readAssignedRole(doc: Y.Doc, taskId: string, allyId: string): string | null {
	const task = doc.getMap('tasks').get(taskId);
	const roles = task instanceof Y.Map ? task.get('roles') : null;
	const role = roles instanceof Y.Map ? roles.get(allyId) : null;
	return typeof role === 'string' ? role : null;
}

/** `acceptances` root (server-owned): `${taskId}:${allyId}` -> who accepted, when, which role. */
export function readAcceptances(doc: Y.Doc): Map<string, Acceptance> {
	const acceptances = new Map<string, Acceptance>();
	for (const [key, value] of doc.getMap('acceptances')) {
		if (typeof value !== 'object' || value === null) continue;
		const acceptance = value as Partial<Acceptance>;
		if (typeof acceptance.by !== 'string' || typeof acceptance.at !== 'number') continue;
		acceptances.set(key, acceptance as Acceptance);
	}
	return acceptances;
}

export interface Assignment {
	taskId: string;
	allyId: string;
	/** lead / contributes / consulted / informed (step 4's roles). */
	role: string;
	title: string;
	createdAt: number;
}

export interface Acceptance {
	taskId: string;
	allyId: string;
	organisationId: string;
	/** The delegate's name, as shown. */
	by: string;
	/** The delegate's user id: with a facilitator, the only one who may change the accepted role. */
	byUserId?: string;
	at: number;
	/** The role accepted: a later change of role asks for a new acceptance. */
	role: string;
}
