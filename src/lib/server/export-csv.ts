/**
 * CSV exports of the record, one table per file: the allies with their study, who does what (one
 * row per task and role), the pipeline, and the revealed vote results (one row per round and
 * proposal — figures only, never a ballot). Safe to open in a spreadsheet: a cell starting with
 * `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so it is never run as a formula
 * (OWASP "CSV injection"); cells with commas, quotes or line breaks are quoted (RFC 4180); a UTF-8
 * BOM so Excel reads accents; CRLF line ends.
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { ALLY_FIELD_NAMES, ALLY_PIPELINE_FIELD_NAMES, type AllyTextField } from '../shared/schema';
import type { WorkshopRecord } from '../shared/record';
import type { StoredContact } from './ports/storage';
import {
	allyFieldLabel,
	pipelineFieldLabel,
	roleText,
	statusText,
	taskStatusText,
	typeText,
	convergenceText
} from './export-labels';

export const CSV_TABLES = ['allies', 'tasks', 'pipeline', 'votes'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised if it could run as a formula, quoted if it holds , " or a line break. */
export function csvCell(value: string | number | boolean | null | undefined): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvDocument(
	rows: readonly (readonly (string | number | boolean | null | undefined)[])[]
): string {
	return BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function isCsvTable(value: string): value is CsvTable {
	return (CSV_TABLES as readonly string[]).includes(value);
}

/**
 * The table as CSV. `contacts` (a facilitator's export only) adds the allies' contact details;
 * `organisations` names the organisation an ally stands for.
 */
export function recordCsv(
	record: WorkshopRecord,
	table: CsvTable,
	options: { locale: Locale; organisations: Map<string, string>; contacts?: StoredContact[] }
): string {
	const { locale } = options;
	if (table === 'allies') {
		const contacts = options.contacts
			? new Map(options.contacts.map((contact) => [contact.allyId, contact.text]))
			: null;
		const study = ALLY_FIELD_NAMES.filter(
			(field): field is Exclude<AllyTextField, 'name'> => field !== 'name'
		);
		const header = [
			allyFieldLabel('name', locale),
			m.export_column_type({}, { locale }),
			m.ally_convergence_label({}, { locale }),
			m.export_column_organisation({}, { locale }),
			...study.map((field) => allyFieldLabel(field, locale)),
			...(contacts ? [m.ally_field_contact({}, { locale })] : [])
		];
		return csvDocument([
			header,
			...record.allies.map((ally) => [
				ally.name,
				typeText(ally.type, locale),
				convergenceText(ally.convergence, locale),
				ally.organisationId ? (options.organisations.get(ally.organisationId) ?? '') : '',
				...study.map((field) => ally.fields[field]),
				...(contacts ? [contacts.get(ally.id) ?? ''] : [])
			])
		]);
	}
	if (table === 'pipeline') {
		return csvDocument([
			[
				allyFieldLabel('name', locale),
				m.pipeline_status_label({}, { locale }),
				...ALLY_PIPELINE_FIELD_NAMES.map((field) => pipelineFieldLabel(field, locale)),
				m.ally_field_next_action_date({}, { locale })
			],
			...record.allies.map((ally) => [
				ally.name,
				statusText(ally.status, locale),
				...ALLY_PIPELINE_FIELD_NAMES.map((field) => ally.pipeline[field]),
				ally.nextActionDate
			])
		]);
	}
	if (table === 'tasks') {
		const rows = record.tasks.flatMap((task) => {
			const base = [
				task.title,
				task.description,
				task.deadline,
				taskStatusText(task.status, locale)
			];
			if (task.roles.length === 0) return [[...base, '', '', '', '']];
			return task.roles.map((role) => [
				...base,
				role.ally,
				roleText(role.role, locale),
				role.organisationId ? (options.organisations.get(role.organisationId) ?? '') : '',
				role.accepted ? m.charter_accepted({}, { locale }) : ''
			]);
		});
		return csvDocument([
			[
				m.export_column_task({}, { locale }),
				m.task_field_description({}, { locale }),
				m.task_field_deadline({}, { locale }),
				m.task_field_status({}, { locale }),
				m.export_column_ally({}, { locale }),
				m.export_column_role({}, { locale }),
				m.export_column_organisation({}, { locale }),
				m.export_column_accepted({}, { locale })
			],
			...rows
		]);
	}
	const figures = [
		'voices',
		'met',
		'mean',
		'min',
		'agree',
		'reservations',
		'block',
		'dots'
	] as const;
	return csvDocument([
		[
			m.export_column_round({}, { locale }),
			m.export_column_revealed({}, { locale }),
			m.export_column_mode({}, { locale }),
			m.export_column_anonymous({}, { locale }),
			m.charter_objective({}, { locale }),
			...figures
		],
		...record.rounds.flatMap((round) =>
			round.proposalIds.map((proposalId) => {
				const summary = round.results?.perProposal[proposalId] ?? {};
				return [
					round.id,
					round.revealedAt ? new Date(round.revealedAt).toISOString() : '',
					round.mode,
					round.anonymous,
					round.wordings[proposalId] ?? '',
					...figures.map((figure) => summary[figure] ?? null)
				];
			})
		)
	]);
}
