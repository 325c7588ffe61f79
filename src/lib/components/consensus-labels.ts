/** Translated labels for the charter, the voting results and command refusals. */
import { m } from '$lib/paraglide/messages';
import { formatDay as formatIsoDay, formatMoment, isIsoDate } from '$lib/shared/dates';
import { getLocale } from '$lib/paraglide/runtime';
import type { CommandResult } from '$lib/shared/events';
import type { VoteMode } from '$lib/shared/consensus';

export const modeLabels: Record<VoteMode, () => string> = {
	gradient: m.results_mode_gradient,
	consent: m.results_mode_consent,
	dots: m.results_mode_dots
};

const consentLabels: Record<string, () => string> = {
	agree: m.results_position_agree,
	reservations: m.results_position_reservations,
	block: m.results_position_block
};

const roleLabels: Record<string, () => string> = {
	lead: m.charter_role_lead,
	contributes: m.charter_role_contributes,
	consulted: m.charter_role_consulted,
	informed: m.charter_role_informed
};

/** A position as voted: a gradient level, a consent choice, or dots given. */
export function positionLabel(mode: VoteMode, position: string): string {
	if (mode === 'consent') return consentLabels[position]?.() ?? position;
	if (mode === 'dots') return m.charter_dots({ count: position });
	return m.results_level({ level: position });
}

export function roleLabel(role: string): string {
	return roleLabels[role]?.() ?? role;
}

const refusals: Record<string, () => string> = {
	no_final_proposal: m.command_error_no_final_proposal,
	no_revealed_round: m.command_error_no_revealed_round,
	no_consensus: m.command_error_no_consensus,
	unchanged: m.command_error_unchanged,
	not_delegate: m.command_error_not_delegate,
	not_locked: m.command_error_not_locked,
	reason_required: m.command_error_reason_required,
	already_archived: m.command_error_already_archived,
	not_archived: m.command_error_not_archived
};

/** What to tell the person when a command was refused (null when it succeeded). */
export function refusalMessage(result: CommandResult<unknown>): string | null {
	if (result.ok) return null;
	if (result.reason && refusals[result.reason]) return refusals[result.reason]();
	if (result.error === 'forbidden') return m.command_error_forbidden();
	if (result.error === 'unavailable') return m.command_error_unavailable();
	return m.command_error_other();
}

/** A date and time in the page's language, e.g. "26 octobre 2026 à 14:05" (shared/dates.ts). */
export function formatDateTime(at: number): string {
	return formatMoment(at, getLocale());
}

/** A `YYYY-MM-DD` day in the page's language, e.g. "26 octobre 2026" (shared/dates.ts). */
export function formatDay(day: string): string {
	return isIsoDate(day) ? formatIsoDay(day, getLocale()) : day;
}
