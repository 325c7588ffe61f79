/**
 * The charter's part of the Markdown record: the version and who locked it, the objective and the
 * round that agreed it (with the reservations voiced, never attributed), the organisations that
 * endorsed it with their reservations and those that had not, then — as the lock copied them —
 * Option 1's decisions, who does what, the principles and the rhythm. Each section says so when
 * it was not defined at that lock. Participants' text is escaped (mdText).
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Charter } from '../shared/charter';
import { decisionText, roleText } from './export-labels';
import { mdText } from './export-markdown';

export function charterMarkdown(charter: Charter | null, locale: Locale): string[] {
	const t = { locale };
	const out: string[] = [`## ${m.charter_title({}, t)}`, ''];
	if (!charter) return [...out, m.record_no_charter({}, t), ''];
	out.push(
		`${m.charter_version({ version: charter.version }, t)} · ${m.charter_locked_by({ name: mdText(charter.lockedBy), date: day(charter.lockedAt) }, t)}`,
		''
	);
	if (charter.unlock) {
		out.push(
			`> ${m.charter_unlocked_by({ name: mdText(charter.unlock.by), date: day(charter.unlock.at), reason: mdText(charter.unlock.reason) }, t)}`,
			''
		);
	}
	out.push(`### ${m.charter_objective({}, t)}`, '', `> ${mdText(charter.proposal.wording)}`, '');
	if (charter.proposal.rationale) out.push(mdText(charter.proposal.rationale), '');
	const results = charter.round.results;
	out.push(
		`${m.record_round_result({ voices: results.voices, rule: results.rule }, t)} ${results.reached || results.override ? m.record_reached({}, t) : m.record_not_reached({}, t)}`,
		''
	);
	if (charter.round.anonymous) out.push(m.charter_vote_anonymous({}, t), '');
	const notes = results.notes?.[charter.proposal.id] ?? [];
	if (notes.length > 0) {
		out.push(`${m.charter_vote_reservations({}, t)} :`, '');
		for (const note of notes) out.push(`- ${mdText(note)}`);
		out.push('');
	}

	out.push(`### ${m.charter_endorsed_by({}, t)}`, '');
	if (charter.endorsedBy.length === 0) out.push(m.charter_no_endorsement({}, t), '');
	for (const endorsement of charter.endorsedBy) {
		const how =
			endorsement.via === 'vote'
				? ` (${m.charter_endorsed_via_vote({}, t)})`
				: endorsement.recordedBy
					? ` (${m.charter_endorsed_recorded({ name: mdText(endorsement.recordedBy) }, t)})`
					: '';
		const reservation = endorsement.reservation
			? ` — ${m.charter_reservation({ reservation: mdText(endorsement.reservation) }, t)}`
			: '';
		out.push(`- **${mdText(endorsement.organisation)}**${how}${reservation}`);
	}
	if (charter.endorsedBy.length > 0) out.push('');
	if (charter.notEndorsed.length > 0) {
		out.push(
			m.charter_not_endorsed({ names: charter.notEndorsed.map((n) => mdText(n)).join(', ') }, t),
			''
		);
	}

	if (charter.path !== 'create') {
		out.push(`### ${m.charter_coalitions({}, t)}`, '');
		if (charter.coalitions.length === 0) out.push(m.charter_no_coalitions({}, t), '');
		for (const coalition of charter.coalitions) {
			const decision = coalition.decision
				? decisionText(coalition.decision, locale)
				: m.charter_no_decision({}, t);
			out.push(`- **${mdText(coalition.name) || '—'}** : ${decision}`);
		}
		if (charter.coalitions.length > 0) out.push('');
	}
	if (charter.path === 'join') return out;

	out.push(`### ${m.charter_who_does_what({}, t)}`, '');
	if (charter.tasks.length === 0) out.push(m.charter_no_tasks({}, t), '');
	for (const task of charter.tasks) {
		const deadline = task.deadline ? ` · ${m.charter_deadline({ date: task.deadline }, t)}` : '';
		const roles = task.roles.map((role) => {
			const accepted = role.accepted
				? role.acceptedBy
					? ` ✓ ${m.charter_accepted_by({ name: mdText(role.acceptedBy) }, t)}`
					: ` ✓ ${m.charter_accepted({}, t)}`
				: '';
			return `${roleText(role.role, locale)} : ${mdText(role.ally) || '—'}${accepted}`;
		});
		out.push(
			`- **${mdText(task.title) || '—'}**${deadline}${roles.length ? ` — ${roles.join(' ; ')}` : ''}`
		);
	}
	if (charter.tasks.length > 0) out.push('');
	out.push(`### ${m.charter_principles({}, t)}`, '');
	if (charter.principles.length === 0) out.push(m.charter_no_principles({}, t), '');
	for (const principle of charter.principles) out.push(`- ${mdText(principle.text)}`);
	if (charter.principles.length > 0) out.push('');
	out.push(`### ${m.charter_rhythm({}, t)}`, '');
	out.push(charter.rhythm ? mdText(charter.rhythm) : m.charter_no_rhythm({}, t), '');
	return out;
}

function day(at: number): string {
	return new Date(at).toISOString().slice(0, 10);
}
