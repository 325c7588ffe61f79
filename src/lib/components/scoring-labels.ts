/** Translated labels for Option 1, the ally map and acceptances (message keys: messages/*.json). */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { type CandidateTextField, type Criterion, type Decision } from '$lib/shared/candidates';
import type { MapAxis } from '$lib/shared/ally-map';
import type { VoiceMode } from '$lib/shared/consensus';

/** The method's words for each criterion, and its guiding questions as help. */
export const criterionLabels: Record<Criterion, { name: () => string; help: () => string }> = {
	reputation: { name: m.criterion_reputation, help: m.criterion_reputation_help },
	leadership: { name: m.criterion_leadership, help: m.criterion_leadership_help },
	consensus: { name: m.criterion_consensus, help: m.criterion_consensus_help },
	resources: { name: m.criterion_resources, help: m.criterion_resources_help },
	flexibility: { name: m.criterion_flexibility, help: m.criterion_flexibility_help }
};

export const decisionLabels: Record<Decision, () => string> = {
	join: m.decision_join,
	negotiate: m.decision_negotiate,
	decline: m.decision_decline
};

export const voiceLabels: Record<VoiceMode, () => string> = {
	participant: m.voice_participant,
	organisation: m.voice_organisation
};

export const axisLabels: Record<MapAxis, () => string> = {
	influence: m.map_axis_influence,
	interest: m.map_axis_interest
};

const roleLabels: Record<string, () => string> = {
	lead: m.acceptance_role_lead,
	contributes: m.acceptance_role_contributes,
	consulted: m.acceptance_role_consulted,
	informed: m.acceptance_role_informed
};

/** A task role as shown (an unknown one as stored). */
export function roleLabel(role: string): string {
	return roleLabels[role]?.() ?? role;
}

// Spelled out rather than `m[key]`: a dynamic lookup bundles every message of the app into the
// chunk of whatever imports this file (step 4's acceptances did: 13 KiB more on opening step 4).
const candidateFieldLabels: Record<CandidateTextField, () => string> = {
	name: m.candidate_field_name,
	members: m.candidate_field_members,
	goal: m.candidate_field_goal,
	has: m.candidate_field_has,
	expects: m.candidate_field_expects,
	notes: m.candidate_field_notes
};

export function candidateFieldLabel(field: CandidateTextField): string {
	return candidateFieldLabels[field]();
}

/** 3.5 → "3,5" in French: numbers as the reader writes them. */
export function formatRating(value: number | null): string {
	if (value === null) return '–';
	return new Intl.NumberFormat(getLocale(), { maximumFractionDigits: 2 }).format(value);
}
