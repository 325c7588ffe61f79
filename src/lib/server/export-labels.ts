/**
 * The exports' translated labels, in the locale asked for (the exports run on the server: each
 * message is called with its locale, spelled out rather than `m[key]`).
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { AllyPipelineTextField, AllyTextField } from '../shared/schema';

type Label = (inputs: Record<string, never>, options: { locale: Locale }) => string;

const allyFields: Record<AllyTextField, Label> = {
	name: m.ally_field_name,
	functioning: m.ally_field_functioning,
	orientation: m.ally_field_orientation,
	headquarters: m.ally_field_headquarters,
	activities: m.ally_field_activities,
	experience: m.ally_field_experience,
	credibility: m.ally_field_credibility,
	notes: m.ally_field_notes
};

const pipelineFields: Record<AllyPipelineTextField, Label> = {
	contactBy: m.ally_field_contact_by,
	keyMessage: m.ally_field_key_message,
	nextAction: m.ally_field_next_action
};

const types: Record<string, Label> = {
	individual: m.ally_type_individual,
	group: m.ally_type_group,
	organisation: m.ally_type_organisation,
	association: m.ally_type_association,
	institution: m.ally_type_institution
};

const convergences: Record<string, Label> = {
	yes: m.ally_convergence_yes,
	partly: m.ally_convergence_partly,
	no: m.ally_convergence_no,
	unknown: m.ally_convergence_unknown
};

const statuses: Record<string, Label> = {
	identified: m.pipeline_status_identified,
	studied: m.pipeline_status_studied,
	contacted: m.pipeline_status_contacted,
	interested: m.pipeline_status_interested,
	committed: m.pipeline_status_committed,
	declined: m.pipeline_status_declined
};

const taskStatuses: Record<string, Label> = {
	todo: m.task_status_todo,
	doing: m.task_status_doing,
	done: m.task_status_done
};

const roles: Record<string, Label> = {
	lead: m.charter_role_lead,
	contributes: m.charter_role_contributes,
	consulted: m.charter_role_consulted,
	informed: m.charter_role_informed
};

const decisions: Record<string, Label> = {
	join: m.decision_join,
	negotiate: m.decision_negotiate,
	decline: m.decision_decline
};

function label(table: Record<string, Label>, key: string, locale: Locale): string {
	return table[key]?.({}, { locale }) ?? key;
}

export const allyFieldLabel = (field: AllyTextField, locale: Locale) =>
	label(allyFields, field, locale);
export const pipelineFieldLabel = (field: AllyPipelineTextField, locale: Locale) =>
	label(pipelineFields, field, locale);
export const typeText = (type: string, locale: Locale) => label(types, type, locale);
export const convergenceText = (value: string, locale: Locale) =>
	label(convergences, value, locale);
export const statusText = (status: string, locale: Locale) => label(statuses, status, locale);
export const taskStatusText = (status: string, locale: Locale) =>
	label(taskStatuses, status, locale);
export const roleText = (role: string, locale: Locale) => label(roles, role, locale);
export const decisionText = (decision: string, locale: Locale) =>
	label(decisions, decision, locale);
