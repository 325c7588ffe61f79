/**
 * Step 4 (who does what): tasks and each ally's role in them. A task is a Y.Map under a random id
 * in the shared `tasks` root, created whole in one transaction (its `roles` map with it, so no
 * two browsers ever create the same container): title and description are Y.Text, deadline and
 * status plain values, `roles` maps an ally id to that ally's role.
 */
import * as Y from 'yjs';
import { newId } from './ids';
import { isIsoDate } from './dates';
import { readTexts } from './schema';

export const TASK_STATUSES = ['todo', 'doing', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The matrix's roles: who leads (the responsible ally), contributes, is consulted or informed. */
export const TASK_ROLES = ['lead', 'contributes', 'consulted', 'informed'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

export const TASK_TEXT_FIELDS = {
	title: { max: 200, multiline: false },
	description: { max: 2000, multiline: true }
} as const;
export type TaskTextField = keyof typeof TASK_TEXT_FIELDS;
const TASK_FIELD_NAMES = Object.keys(TASK_TEXT_FIELDS) as TaskTextField[];

export function isTaskStatus(value: unknown): value is TaskStatus {
	return typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);
}

export function isTaskRole(value: unknown): value is TaskRole {
	return typeof value === 'string' && (TASK_ROLES as readonly string[]).includes(value);
}

export function getTasks(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap('tasks');
}

export function addTask(
	doc: Y.Doc,
	input: { title: string },
	now = Date.now(),
	origin: unknown = null
): string {
	const id = newId();
	doc.transact(() => {
		const task = new Y.Map<unknown>();
		task.set('title', new Y.Text(input.title.slice(0, TASK_TEXT_FIELDS.title.max)));
		task.set('description', new Y.Text());
		task.set('deadline', '');
		task.set('status', 'todo');
		task.set('roles', new Y.Map<TaskRole>());
		task.set('createdAt', now);
		getTasks(doc).set(id, task);
	}, origin);
	return id;
}

export function removeTask(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => getTasks(doc).delete(id), origin);
}

export function getTaskText(doc: Y.Doc, id: string, field: TaskTextField): Y.Text | null {
	const text = getTasks(doc).get(id)?.get(field);
	return text instanceof Y.Text ? text : null;
}

export function setTaskStatus(
	doc: Y.Doc,
	id: string,
	status: TaskStatus,
	origin: unknown = null
): void {
	if (!isTaskStatus(status)) return;
	doc.transact(() => getTasks(doc).get(id)?.set('status', status), origin);
}

/** `deadline` is `YYYY-MM-DD` or empty to clear it. */
export function setTaskDeadline(
	doc: Y.Doc,
	id: string,
	deadline: string,
	origin: unknown = null
): void {
	if (deadline !== '' && !isIsoDate(deadline)) return;
	doc.transact(() => getTasks(doc).get(id)?.set('deadline', deadline), origin);
}

/**
 * Gives `allyId` a role in the task (null removes it). A task has one responsible ally: naming a
 * new lead makes the previous one a contributor rather than silently dropping them.
 */
export function setTaskRole(
	doc: Y.Doc,
	taskId: string,
	allyId: string,
	role: TaskRole | null,
	origin: unknown = null
): void {
	const roles = getTasks(doc).get(taskId)?.get('roles');
	if (!(roles instanceof Y.Map)) return;
	if (role !== null && !isTaskRole(role)) return;
	doc.transact(() => {
		if (role === null) {
			roles.delete(allyId);
			return;
		}
		if (role === 'lead') {
			for (const [other, current] of roles)
				if (current === 'lead' && other !== allyId) roles.set(other, 'contributes');
		}
		roles.set(allyId, role);
	}, origin);
}

/** Makes `allyId` the responsible ally (null: nobody leads; the previous lead keeps a contributor's role). */
export function setTaskLead(
	doc: Y.Doc,
	taskId: string,
	allyId: string | null,
	origin: unknown = null
): void {
	const roles = getTasks(doc).get(taskId)?.get('roles');
	if (!(roles instanceof Y.Map)) return;
	doc.transact(() => {
		if (allyId) return setTaskRole(doc, taskId, allyId, 'lead', origin);
		for (const [other, current] of roles) if (current === 'lead') roles.set(other, 'contributes');
	}, origin);
}

export function readTasks(doc: Y.Doc): Task[] {
	const tasks: Task[] = [];
	for (const [id, task] of getTasks(doc)) {
		if (!(task instanceof Y.Map)) continue;
		const fields = readTexts(task, TASK_FIELD_NAMES);
		const roles: Record<string, TaskRole> = {};
		const rolesMap = task.get('roles');
		if (rolesMap instanceof Y.Map) {
			for (const [allyId, role] of rolesMap) if (isTaskRole(role)) roles[allyId] = role;
		}
		const deadline = task.get('deadline');
		const status = task.get('status');
		const createdAt = task.get('createdAt');
		tasks.push({
			id,
			title: fields.title,
			description: fields.description,
			deadline: isIsoDate(deadline) ? deadline : '',
			status: isTaskStatus(status) ? status : 'todo',
			roles,
			createdAt: typeof createdAt === 'number' ? createdAt : 0
		});
	}
	return tasks.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export interface Task {
	id: string;
	title: string;
	description: string;
	/** `YYYY-MM-DD` or empty. */
	deadline: string;
	status: TaskStatus;
	/** Ally id -> role (ids of allies since removed may remain: readers skip them). */
	roles: Record<string, TaskRole>;
	createdAt: number;
}
