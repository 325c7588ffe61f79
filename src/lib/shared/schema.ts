/**
 * The workshop document's shape: one typed source of truth for its roots, who may write each,
 * and the schema version. The server creates the shape and runs migrations; browsers never
 * create root containers (two clients creating the same container at once lose one's contents).
 */
import * as Y from 'yjs';
import { newId } from './ids';

export const SCHEMA_VERSION = 4;

/**
 * Shared roots: any member may edit. Server-owned roots: only the server's write path, and they
 * hold plain JSON values only (no nested Y types), so the server can restore each key exactly
 * when a modified client writes into one (see `server/yjs/owned-roots.ts`).
 */
export const ROOTS = {
	/** workshopId, createdAt, schemaVersion, archived (boolean), archivedAt. */
	meta: { kind: 'map', owner: 'server' },
	/**
	 * The step the facilitator brings everyone to, the countdown, the projector's screen, and the
	 * settings with their `changedAt` stamps (facilitation-settings.ts).
	 */
	facilitation: { kind: 'map', owner: 'server' },
	/** Steps 1–3: ally id -> Y.Map of the ally (study and pipeline fields). */
	allies: { kind: 'map', owner: 'shared' },
	/** Option 1: candidate coalition id -> Y.Map (text fields). */
	candidates: { kind: 'map', owner: 'shared' },
	/** Option 1: candidate id -> revealed score summary and the facilitator's decision. */
	candidateResults: { kind: 'map', owner: 'server' },
	/** Step 4: task id -> Y.Map (title, description, deadline, status, roles by ally). */
	tasks: { kind: 'map', owner: 'shared' },
	/** Step 4: accepted assignments, `${taskId}:${allyId}` -> who accepted, when. */
	acceptances: { kind: 'map', owner: 'server' },
	/** Step 5: principle id -> Y.Map (text, agreed). */
	principles: { kind: 'map', owner: 'shared' },
	/** Step 5: `rhythm` (Y.Text), the meeting rhythm. */
	maintenance: { kind: 'map', owner: 'shared' },
	/** Step 5: follow-up entry id -> Y.Map (date, what, who). */
	followUps: { kind: 'map', owner: 'shared' },
	/** The ally map: ally id -> the group's revealed position and spread. */
	allyMap: { kind: 'map', owner: 'server' },
	/** The common objective: proposal id -> wording, rationale, author (commands only). */
	proposals: { kind: 'map', owner: 'server' },
	/** Voting rounds: round id -> state, options and, once revealed, results. */
	rounds: { kind: 'map', owner: 'server' },
	/** Each organisation's endorsement of the agreed objective: organisation id -> who, reservation. */
	endorsements: { kind: 'map', owner: 'server' },
	/** The locked coalition charter (plain values, versioned). */
	charter: { kind: 'map', owner: 'server' }
} as const satisfies Record<string, RootDefinition>;

export type RootName = keyof typeof ROOTS;

export const SERVER_OWNED_ROOTS: ReadonlySet<string> = new Set(
	Object.entries(ROOTS)
		.filter(([, root]) => root.owner === 'server')
		.map(([name]) => name)
);

/** Natural persons (individual, group) and legal persons (organisation, association, institution). */
export const ALLY_TYPES = [
	'individual',
	'group',
	'organisation',
	'association',
	'institution'
] as const;
export type AllyType = (typeof ALLY_TYPES)[number];

export const ALLY_NAME_MAX = 200;

/** Whether the ally's objectives converge with ours ("même objectif égal même combat"). */
export const CONVERGENCES = ['yes', 'partly', 'no', 'unknown'] as const;
export type Convergence = (typeof CONVERGENCES)[number];

/**
 * Step 2's study fields, each a Y.Text in the ally's map, with its message key and limits.
 * The ally's contact details are not among them: personal data observers must not get, they live
 * in the server's database (`contacts:get` / `contacts:set`), never in the document.
 */
export const ALLY_TEXT_FIELDS = {
	name: { label: 'ally_field_name', max: ALLY_NAME_MAX, multiline: false },
	functioning: { label: 'ally_field_functioning', max: 2000, multiline: true },
	orientation: { label: 'ally_field_orientation', max: 2000, multiline: true },
	headquarters: { label: 'ally_field_headquarters', max: 300, multiline: false },
	activities: { label: 'ally_field_activities', max: 2000, multiline: true },
	experience: { label: 'ally_field_experience', max: 2000, multiline: true },
	credibility: { label: 'ally_field_credibility', max: 2000, multiline: true },
	notes: { label: 'ally_field_notes', max: 4000, multiline: true }
} as const satisfies Record<string, TextFieldDefinition>;

export type AllyTextField = keyof typeof ALLY_TEXT_FIELDS;

/** The contact details' limit (server-side store, see above). */
export const ALLY_CONTACT_MAX = 500;
export const ALLY_FIELD_NAMES = Object.keys(ALLY_TEXT_FIELDS) as AllyTextField[];

/** Step 3 (interest and mobilise): where the ally stands. */
export const ALLY_STATUSES = [
	'identified',
	'studied',
	'contacted',
	'interested',
	'committed',
	'declined'
] as const;
export type AllyStatus = (typeof ALLY_STATUSES)[number];

/** Step 3's text fields, each a Y.Text in the ally's map (besides `status` and `nextActionDate`). */
export const ALLY_PIPELINE_TEXT_FIELDS = {
	contactBy: { label: 'ally_field_contact_by', max: 200, multiline: false },
	keyMessage: { label: 'ally_field_key_message', max: 2000, multiline: true },
	nextAction: { label: 'ally_field_next_action', max: 500, multiline: true }
} as const satisfies Record<string, TextFieldDefinition>;

export type AllyPipelineTextField = keyof typeof ALLY_PIPELINE_TEXT_FIELDS;
export const ALLY_PIPELINE_FIELD_NAMES = Object.keys(
	ALLY_PIPELINE_TEXT_FIELDS
) as AllyPipelineTextField[];

export function isConvergence(value: unknown): value is Convergence {
	return typeof value === 'string' && (CONVERGENCES as readonly string[]).includes(value);
}

export function isAllyType(value: unknown): value is AllyType {
	return typeof value === 'string' && (ALLY_TYPES as readonly string[]).includes(value);
}

export function getMeta(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('meta');
}

export function getAllies(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap('allies');
}

export function getSchemaVersion(doc: Y.Doc): number {
	const version = getMeta(doc).get('schemaVersion');
	return typeof version === 'number' ? version : 0;
}

/** Server only: writes the full shape of a new workshop document. */
export function initDocument(doc: Y.Doc, init: { workshopId: string; createdAt: number }): void {
	doc.transact(() => {
		const meta = getMeta(doc);
		meta.set('workshopId', init.workshopId);
		meta.set('createdAt', init.createdAt);
		meta.set('schemaVersion', SCHEMA_VERSION);
		createNestedContainers(doc);
	});
}

/** Containers inside roots, which only the server may create (two browsers doing it lose one). */
function createNestedContainers(doc: Y.Doc): void {
	const maintenance = doc.getMap('maintenance');
	if (!(maintenance.get('rhythm') instanceof Y.Text)) maintenance.set('rhythm', new Y.Text());
}

/** Shape migrations, indexed by the version they migrate from. */
export type Migrations = Record<number, (doc: Y.Doc) => void>;
const MIGRATIONS: Migrations = {
	// v1 allies had only a name: give them every study field, so browsers never create one.
	1: (doc) => {
		for (const ally of getAllies(doc).values()) {
			if (!(ally instanceof Y.Map)) continue;
			for (const field of ALLY_FIELD_NAMES) {
				if (!(ally.get(field) instanceof Y.Text)) ally.set(field, new Y.Text());
			}
		}
	},
	// v3 adds step 3's pipeline fields to every ally and step 5's meeting rhythm.
	2: (doc) => {
		for (const ally of getAllies(doc).values()) {
			if (!(ally instanceof Y.Map)) continue;
			for (const field of ALLY_PIPELINE_FIELD_NAMES) {
				if (!(ally.get(field) instanceof Y.Text)) ally.set(field, new Y.Text());
			}
			if (!ally.has('status')) ally.set('status', 'identified');
		}
		createNestedContainers(doc);
	},
	// v4 moves contact details out of the document (the server saved them first: readLegacyContacts).
	3: (doc) => {
		for (const ally of getAllies(doc).values()) {
			if (ally instanceof Y.Map && ally.has('contact')) ally.delete('contact');
		}
	}
};

/**
 * The contact texts a document older than v4 still holds, by ally id (non-empty only): the server
 * stores them before migration 3 deletes them from the document.
 */
export function readLegacyContacts(doc: Y.Doc): Map<string, string> {
	const contacts = new Map<string, string>();
	const version = getSchemaVersion(doc);
	if (version === 0 || version >= 4) return contacts;
	for (const [id, ally] of getAllies(doc)) {
		const text = ally instanceof Y.Map ? ally.get('contact') : null;
		const value = text instanceof Y.Text ? text.toString() : typeof text === 'string' ? text : '';
		if (value.trim() !== '') contacts.set(id, value);
	}
	return contacts;
}

/**
 * Server only: brings a loaded document up to `target`. Returns whether it changed anything.
 * A document without a version (never initialised as a workshop) is left alone.
 */
export function migrateDocument(
	doc: Y.Doc,
	migrations = MIGRATIONS,
	target = SCHEMA_VERSION
): boolean {
	let version = getSchemaVersion(doc);
	if (version === 0 || version >= target) return false;
	doc.transact(() => {
		while (version < target) {
			migrations[version]?.(doc);
			version += 1;
		}
		getMeta(doc).set('schemaVersion', version);
	});
	return true;
}

/** Creates the ally with all its fields in one transaction, under a new random key. */
export function addAlly(
	doc: Y.Doc,
	input: { name: string; type: AllyType; convergence?: Convergence },
	now = Date.now(),
	origin: unknown = null
): string {
	const id = newId();
	doc.transact(() => {
		const ally = new Y.Map<unknown>();
		for (const field of ALLY_FIELD_NAMES) {
			const initial = field === 'name' ? input.name.slice(0, ALLY_NAME_MAX) : '';
			ally.set(field, new Y.Text(initial));
		}
		for (const field of ALLY_PIPELINE_FIELD_NAMES) ally.set(field, new Y.Text());
		ally.set('status', 'identified');
		ally.set('type', input.type);
		ally.set('convergence', input.convergence ?? 'unknown');
		ally.set('createdAt', now);
		getAllies(doc).set(id, ally);
	}, origin);
	return id;
}

/** The live Y.Text of one of an ally's fields (for binding to an input), if the ally exists. */
export function getAllyText(doc: Y.Doc, id: string, field: AllyTextField): Y.Text | null {
	const text = getAllies(doc).get(id)?.get(field);
	return text instanceof Y.Text ? text : null;
}

export function setAllyField(
	doc: Y.Doc,
	id: string,
	field: AllyTextField,
	value: string,
	origin: unknown = null
): void {
	const text = getAllyText(doc, id, field);
	if (text) applyTextDiff(text, value.slice(0, ALLY_TEXT_FIELDS[field].max), origin);
}

export function renameAlly(doc: Y.Doc, id: string, name: string, origin: unknown = null): void {
	setAllyField(doc, id, 'name', name, origin);
}

export function setAllyType(doc: Y.Doc, id: string, type: AllyType, origin: unknown = null): void {
	doc.transact(() => getAllies(doc).get(id)?.set('type', type), origin);
}

export function setAllyConvergence(
	doc: Y.Doc,
	id: string,
	convergence: Convergence,
	origin: unknown = null
): void {
	doc.transact(() => getAllies(doc).get(id)?.set('convergence', convergence), origin);
}

export function removeAlly(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => getAllies(doc).delete(id), origin);
}

/** The plain text of each of `fields` in an entry's map ('' for a missing or non-text field). */
export function readTexts<F extends string>(
	entry: Y.Map<unknown>,
	fields: readonly F[]
): Record<F, string> {
	const texts = {} as Record<F, string>;
	for (const field of fields) {
		const text = entry.get(field);
		texts[field] = text instanceof Y.Text ? text.toString() : '';
	}
	return texts;
}

export function readAllies(doc: Y.Doc): Ally[] {
	const allies: Ally[] = [];
	for (const [id, ally] of getAllies(doc)) {
		if (!(ally instanceof Y.Map)) continue;
		const type = ally.get('type');
		const convergence = ally.get('convergence');
		const createdAt = ally.get('createdAt');
		const fields = readTexts(ally, ALLY_FIELD_NAMES);
		allies.push({
			id,
			name: fields.name,
			type: isAllyType(type) ? type : 'organisation',
			convergence: isConvergence(convergence) ? convergence : 'unknown',
			createdAt: typeof createdAt === 'number' ? createdAt : 0,
			fields
		});
	}
	return allies.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Share (0–1) of the study fields that hold more than blank space. */
export function allyCompleteness(ally: Pick<Ally, 'fields'>): number {
	const filled = ALLY_FIELD_NAMES.filter((field) => ally.fields[field].trim() !== '').length;
	return filled / ALLY_FIELD_NAMES.length;
}

/**
 * A name folded for comparison: no case, accents, punctuation or spacing differences,
 * so "CARE Mali", "Care-Mali" and "care  mali." are the same ally.
 */
export function normaliseName(name: string): string {
	return name
		.normalize('NFD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * What makes two organisation names the same organisation in a workshop: the folded name, so
 * "ÉCOLE du Fleuve", "Ecole du fleuve" and "école-du-fleuve" are one (phones type accents and
 * capitals unevenly). A name with no letter or digit keeps itself, in lower case. Stored beside
 * the name (`organisations.name_key`) and unique per workshop on both storage engines.
 */
export function organisationKey(name: string): string {
	return normaliseName(name) || name.normalize('NFC').toLowerCase();
}

/** For each ally whose (normalised, non-empty) name another ally shares: the others' ids. */
export function findDuplicateNames(
	allies: readonly Pick<Ally, 'id' | 'name'>[]
): Map<string, string[]> {
	const byName = new Map<string, string[]>();
	for (const ally of allies) {
		const key = normaliseName(ally.name);
		if (!key) continue;
		byName.set(key, [...(byName.get(key) ?? []), ally.id]);
	}
	const duplicates = new Map<string, string[]>();
	for (const ids of byName.values()) {
		if (ids.length < 2) continue;
		for (const id of ids)
			duplicates.set(
				id,
				ids.filter((other) => other !== id)
			);
	}
	return duplicates;
}

/** Whether the ally matches a search (any field, folded like names) and the filters. */
export function matchesAllyQuery(
	ally: Ally,
	query: { text?: string; type?: AllyType | 'all'; convergence?: Convergence | 'all' }
): boolean {
	if (query.type && query.type !== 'all' && ally.type !== query.type) return false;
	if (query.convergence && query.convergence !== 'all' && ally.convergence !== query.convergence) {
		return false;
	}
	const needle = normaliseName(query.text ?? '');
	if (!needle) return true;
	return ALLY_FIELD_NAMES.some((field) => normaliseName(ally.fields[field]).includes(needle));
}

/**
 * Turns `text` into `next` with the smallest single replacement (common prefix and suffix kept),
 * so concurrent typing elsewhere in the field survives, unlike delete-all-then-insert.
 */
export function applyTextDiff(text: Y.Text, next: string, origin: unknown = null): void {
	const current = text.toString();
	if (current === next) return;
	let start = 0;
	const max = Math.min(current.length, next.length);
	while (start < max && current[start] === next[start]) start++;
	let end = 0;
	while (end < max - start && current[current.length - 1 - end] === next[next.length - 1 - end]) {
		end++;
	}
	text.doc!.transact(() => {
		const removed = current.length - start - end;
		if (removed > 0) text.delete(start, removed);
		const inserted = next.slice(start, next.length - end);
		if (inserted) text.insert(start, inserted);
	}, origin);
}

export interface Ally {
	id: string;
	name: string;
	type: AllyType;
	convergence: Convergence;
	createdAt: number;
	fields: Record<AllyTextField, string>;
}

interface TextFieldDefinition {
	/** Message key of the field's label (messages/*.json). */
	label: string;
	max: number;
	multiline: boolean;
}

interface RootDefinition {
	kind: 'map' | 'array' | 'text';
	owner: 'shared' | 'server';
}
