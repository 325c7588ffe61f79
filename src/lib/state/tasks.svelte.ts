/**
 * Step 4's tasks as runes: the shared `tasks` root read through the board's subscriptions, and
 * every write the step makes (a task, its status, deadline, lead and the allies' roles) with this
 * person's origin. Deleting a task goes through the board's "Annuler". One instance per step view.
 */
import type * as Y from 'yjs';
import type { BoardDocument } from './board.svelte';
import {
	addTask,
	getTaskText,
	readTasks,
	removeTask,
	setTaskDeadline,
	setTaskLead,
	setTaskRole,
	setTaskStatus,
	type Task,
	type TaskRole,
	type TaskStatus,
	type TaskTextField
} from '$lib/shared/tasks';

export class TasksState {
	readonly #board: BoardDocument;

	constructor(board: BoardDocument) {
		this.#board = board;
	}

	get tasks(): Task[] {
		this.#board.track('tasks');
		return readTasks(this.#board.doc);
	}

	/** The live text of a task's field, for binding an input to it (see components/ytext.ts). */
	text(id: string, field: TaskTextField): Y.Text | null {
		this.#board.track('tasks');
		return getTaskText(this.#board.doc, id, field);
	}

	add(title: string): string {
		return addTask(this.#board.doc, { title }, Date.now(), this.#board.origin);
	}

	setStatus(id: string, status: TaskStatus): void {
		setTaskStatus(this.#board.doc, id, status, this.#board.origin);
	}

	/** `deadline` is `YYYY-MM-DD` or empty to clear it. */
	setDeadline(id: string, deadline: string): void {
		setTaskDeadline(this.#board.doc, id, deadline, this.#board.origin);
	}

	/** Makes `allyId` the responsible ally (null: nobody leads; the previous lead contributes). */
	setLead(id: string, allyId: string | null): void {
		setTaskLead(this.#board.doc, id, allyId, this.#board.origin);
	}

	/** Gives `allyId` a role in the task (null removes it); a new lead demotes the previous one. */
	setRole(id: string, allyId: string, role: TaskRole | null): void {
		setTaskRole(this.#board.doc, id, allyId, role, this.#board.origin);
	}

	/** Deletes the task (its roles with it) and offers "Annuler", naming it `name`. */
	remove(id: string, name: string): void {
		this.#board.removeWithUndo('task', name, (origin) => removeTask(this.#board.doc, id, origin));
	}
}
