/**
 * Step 3 (interest and mobilise): each ally's place in the pipeline, who contacts them, the key
 * message and the next action. The fields live in the ally's map (see `addAlly` in schema.ts).
 */
import * as Y from 'yjs';
import {
	ALLY_PIPELINE_FIELD_NAMES,
	ALLY_STATUSES,
	getAllies,
	readTexts,
	type AllyPipelineTextField,
	type AllyStatus
} from './schema';
import { isIsoDate } from './dates';

/** The forward path; `declined` stands aside from it. */
export const PIPELINE_FLOW = [
	'identified',
	'studied',
	'contacted',
	'interested',
	'committed'
] as const;

export function isAllyStatus(value: unknown): value is AllyStatus {
	return typeof value === 'string' && (ALLY_STATUSES as readonly string[]).includes(value);
}

/** The status one tap moves an ally to (null once committed, or declined). */
export function nextStatus(status: AllyStatus): AllyStatus | null {
	const index = (PIPELINE_FLOW as readonly string[]).indexOf(status);
	return index < 0 ? null : (PIPELINE_FLOW[index + 1] ?? null);
}

export function setAllyStatus(
	doc: Y.Doc,
	id: string,
	status: AllyStatus,
	origin: unknown = null
): void {
	if (!isAllyStatus(status)) return;
	doc.transact(() => getAllies(doc).get(id)?.set('status', status), origin);
}

/** `date` is `YYYY-MM-DD` (what `<input type="date">` gives) or empty to clear it. */
export function setNextActionDate(
	doc: Y.Doc,
	id: string,
	date: string,
	origin: unknown = null
): void {
	if (date !== '' && !isIsoDate(date)) return;
	doc.transact(() => getAllies(doc).get(id)?.set('nextActionDate', date), origin);
}

export function getPipelineText(
	doc: Y.Doc,
	id: string,
	field: AllyPipelineTextField
): Y.Text | null {
	const text = getAllies(doc).get(id)?.get(field);
	return text instanceof Y.Text ? text : null;
}

export function readPipeline(doc: Y.Doc): PipelineEntry[] {
	const entries: PipelineEntry[] = [];
	for (const [id, ally] of getAllies(doc)) {
		if (!(ally instanceof Y.Map)) continue;
		const status = ally.get('status');
		const date = ally.get('nextActionDate');
		const name = ally.get('name');
		const createdAt = ally.get('createdAt');
		const fields = readTexts(ally, ALLY_PIPELINE_FIELD_NAMES);
		entries.push({
			id,
			name: name instanceof Y.Text ? name.toString() : '',
			status: isAllyStatus(status) ? status : 'identified',
			nextActionDate: typeof date === 'string' && isIsoDate(date) ? date : '',
			createdAt: typeof createdAt === 'number' ? createdAt : 0,
			fields
		});
	}
	return entries.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** One column per status, in the pipeline's order (declined last), keeping the entries' order. */
export function groupByStatus<T extends { status: AllyStatus }>(
	entries: readonly T[]
): Record<AllyStatus, T[]> {
	const columns = Object.fromEntries(ALLY_STATUSES.map((status) => [status, [] as T[]])) as Record<
		AllyStatus,
		T[]
	>;
	for (const entry of entries) columns[entry.status].push(entry);
	return columns;
}

/** A next action whose date has passed and whose ally is still on the way (not committed or declined). */
export function isOverdue(
	entry: Pick<PipelineEntry, 'status' | 'nextActionDate'>,
	today: string
): boolean {
	if (!entry.nextActionDate || entry.status === 'committed' || entry.status === 'declined')
		return false;
	return entry.nextActionDate < today;
}

export interface PipelineEntry {
	id: string;
	name: string;
	status: AllyStatus;
	/** `YYYY-MM-DD` or empty. */
	nextActionDate: string;
	createdAt: number;
	fields: Record<AllyPipelineTextField, string>;
}
