/** The words of the common objective step: levels, choices, the rule, refusals. One place for each. */
import { m } from '$lib/paraglide/messages';
import type { ConsensusRule, ConsentChoice, VoteMode } from '$lib/shared/consensus';
import type { CommandResult } from '$lib/shared/events';
import { parseRuleKey } from '$lib/shared/tally';

/** Fist to five: each level's name and what it means, shown beside its pictogram. */
export const levelLabels: Record<number, { name: () => string; meaning: () => string }> = {
	0: { name: m.gradient_level_0, meaning: m.gradient_meaning_0 },
	1: { name: m.gradient_level_1, meaning: m.gradient_meaning_1 },
	2: { name: m.gradient_level_2, meaning: m.gradient_meaning_2 },
	3: { name: m.gradient_level_3, meaning: m.gradient_meaning_3 },
	4: { name: m.gradient_level_4, meaning: m.gradient_meaning_4 },
	5: { name: m.gradient_level_5, meaning: m.gradient_meaning_5 }
};

export const consentLabels: Record<ConsentChoice, () => string> = {
	agree: m.consent_agree,
	reservations: m.consent_reservations,
	block: m.consent_block
};

export const modeLabels: Record<VoteMode, () => string> = {
	gradient: m.round_mode_gradient,
	consent: m.round_mode_consent,
	dots: m.round_mode_dots
};

/** The rule in words, from the same thresholds the server evaluates. */
export function ruleText(rule: ConsensusRule | string): string {
	const parsed = typeof rule === 'string' ? parseRuleKey(rule) : rule;
	if (!parsed) return '';
	if (parsed.kind === 'gradient') {
		return m.rule_gradient({ minLevel: parsed.minLevel, minMean: parsed.minMean.toLocaleString() });
	}
	if (parsed.kind === 'dots') return m.rule_dots({ dots: parsed.dots });
	return m.rule_consent();
}

const refusals: Record<string, () => string> = {
	offline: m.error_offline,
	timeout: m.error_offline,
	role: m.error_forbidden,
	not_author: m.error_forbidden,
	not_proxy: m.error_forbidden,
	not_delegate: m.vote_not_delegate,
	not_a_voter: m.vote_not_voter,
	organisation_present: m.error_organisation_present,
	wording_empty: m.error_wording_empty,
	wording_too_long: m.error_wording_too_long,
	rationale_too_long: m.error_rationale_too_long,
	in_open_round: m.error_in_open_round,
	merged: m.error_merged,
	round_open: m.error_round_open,
	round_closed: m.error_round_moved,
	round_revealed: m.error_round_moved,
	round_not_open: m.error_round_not_open,
	block_needs_reason: m.error_block_needs_reason,
	reason_too_long: m.error_reason_too_long,
	reason_empty: m.error_reason_empty,
	missing_proposal: m.error_missing_proposal,
	too_many_dots: m.error_too_many_dots,
	no_dots: m.error_no_dots,
	dots_need_two: m.error_dots_need_two,
	live_needs_named: m.error_live_needs_named
};

/** A refused command in words (null when it succeeded). */
export function refusalText(result: CommandResult<unknown>): string | null {
	if (result.ok) return null;
	return (result.reason && refusals[result.reason]?.()) || m.error_command_refused();
}
