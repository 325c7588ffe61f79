/**
 * The record as Markdown: the charter (export-markdown-charter.ts), Option 1's decisions, the allies with their study, who does what, the
 * principles and rhythm, the follow-up log. Participants' text is escaped, so a name or a note can
 * never become a heading, a link or HTML.
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { ALLY_FIELD_NAMES } from '../shared/schema';
import type { WorkshopRecord } from '../shared/record';
import type { Workshop } from './ports/storage';
import { charterMarkdown } from './export-markdown-charter';
import {
	allyFieldLabel,
	convergenceText,
	decisionText,
	roleText,
	statusText,
	taskStatusText,
	typeText
} from './export-labels';

/** Escapes Markdown and HTML syntax; line breaks become spaces where `inline`. */
export function mdText(value: string, inline = true): string {
	const text = inline ? value.replace(/\s*[\r\n]+\s*/g, ' ') : value;
	return text
		.replace(/[\\`*_{}[\]()<>#+!|~]/g, (char) => `\\${char}`)
		.replace(/^(\s*)([-=]|\d+\.)/gm, '$1\\$2');
}

function paragraph(value: string): string {
	return mdText(value.trim(), false)
		.split(/\r?\n/)
		.map((line) => line.trimEnd())
		.join('  \n');
}

export function recordMarkdown(
	workshop: Pick<Workshop, 'title' | 'date' | 'place' | 'issue'>,
	record: WorkshopRecord,
	options: { locale: Locale; organisations: Map<string, string> }
): string {
	const { locale } = options;
	const t = { locale };
	const out: string[] = [`# ${mdText(workshop.title)}`, ''];
	const facts = [workshop.date, workshop.place].filter(Boolean).map((fact) => mdText(fact!));
	if (facts.length > 0) out.push(facts.join(' · '), '');
	if (workshop.issue) out.push(`${m.record_issue({}, t)} : ${mdText(workshop.issue)}`, '');

	out.push(...charterMarkdown(record.charter, locale));

	if (record.decisions.length > 0) {
		out.push(`## ${m.record_decisions({}, t)}`, '');
		for (const decision of record.decisions) {
			const value = decision.decision
				? decisionText(decision.decision, locale)
				: m.record_no_decision({}, t);
			out.push(`- **${mdText(decision.name)}** : ${value}`);
		}
		out.push('');
	}

	out.push(`## ${m.record_allies({}, t)}`, '');
	if (record.allies.length === 0) out.push(m.ally_none({}, t), '');
	for (const ally of record.allies) {
		out.push(`### ${mdText(ally.name) || m.ally_unnamed({}, t)}`, '');
		const organisation = ally.organisationId
			? options.organisations.get(ally.organisationId)
			: null;
		out.push(
			[
				typeText(ally.type, locale),
				convergenceText(ally.convergence, locale),
				statusText(ally.status, locale),
				organisation ? mdText(organisation) : null
			]
				.filter(Boolean)
				.join(' · '),
			''
		);
		for (const field of ALLY_FIELD_NAMES) {
			if (field === 'name' || ally.fields[field].trim() === '') continue;
			out.push(`**${allyFieldLabel(field, locale)}** : ${paragraph(ally.fields[field])}`, '');
		}
	}

	out.push(`## ${m.charter_who_does_what({}, t)}`, '');
	if (record.tasks.length === 0) out.push(m.task_none({}, t), '');
	for (const task of record.tasks) {
		const deadline = task.deadline ? ` · ${m.charter_deadline({ date: task.deadline }, t)}` : '';
		out.push(
			`### ${mdText(task.title) || m.task_untitled({}, t)}`,
			'',
			`${taskStatusText(task.status, locale)}${deadline}`,
			''
		);
		if (task.description.trim()) out.push(paragraph(task.description), '');
		for (const role of task.roles) {
			const accepted = role.accepted ? ` ✓ ${m.charter_accepted({}, t)}` : '';
			out.push(`- ${roleText(role.role, locale)} : ${mdText(role.ally)}${accepted}`);
		}
		if (task.roles.length > 0) out.push('');
	}

	out.push(`## ${m.principles_title({}, t)}`, '');
	if (record.principles.length === 0) out.push(m.principle_none({}, t), '');
	for (const principle of record.principles) {
		out.push(`- ${principle.agreed ? '[x]' : '[ ]'} ${mdText(principle.text)}`);
	}
	if (record.principles.length > 0) out.push('');
	out.push(
		`## ${m.rhythm_title({}, t)}`,
		'',
		record.rhythm.trim() ? paragraph(record.rhythm) : '—',
		''
	);

	out.push(`## ${m.follow_ups_title({}, t)}`, '');
	if (record.followUps.length === 0) out.push(m.follow_up_none({}, t), '');
	for (const entry of record.followUps) {
		const who = entry.who ? ` (${mdText(entry.who)})` : '';
		out.push(`- ${entry.date || '—'} : ${mdText(entry.what)}${who}`);
	}
	return `${out.join('\n').trimEnd()}\n`;
}
