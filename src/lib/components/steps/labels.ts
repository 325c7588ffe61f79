/** Translated labels for steps 3 and 4 (loaded with those steps' views only). */
import { m } from '$lib/paraglide/messages';
import { formatDay, isIsoDate } from '$lib/shared/dates';
import type { AllyStatus } from '$lib/shared/schema';
import type { TaskRole, TaskStatus } from '$lib/shared/tasks';

export const allyStatusLabels: Record<AllyStatus, () => string> = {
	identified: m.pipeline_status_identified,
	studied: m.pipeline_status_studied,
	contacted: m.pipeline_status_contacted,
	interested: m.pipeline_status_interested,
	committed: m.pipeline_status_committed,
	declined: m.pipeline_status_declined
};

export const taskStatusLabels: Record<TaskStatus, () => string> = {
	todo: m.task_status_todo,
	doing: m.task_status_doing,
	done: m.task_status_done
};

export const roleLabels: Record<TaskRole, () => string> = {
	lead: m.role_lead,
	contributes: m.role_contributes,
	consulted: m.role_consulted,
	informed: m.role_informed
};

/** A role as a column's heading on the projector (the allies who hold it). */
export const roleColumnLabels: Record<TaskRole, () => string> = {
	lead: m.role_column_lead,
	contributes: m.role_column_contributes,
	consulted: m.role_column_consulted,
	informed: m.role_column_informed
};

/** A date as the person's language writes it (stored as `YYYY-MM-DD`). */
export function formatDate(date: string, locale: string): string {
	if (!date) return '';
	return isIsoDate(date) ? formatDay(date, locale) : date;
}
