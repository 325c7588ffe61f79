/**
 * The workshop document's shape: one typed source of truth for its roots, who may write each,
 * and the schema version. The server creates the shape and runs migrations; browsers never
 * create root containers (two clients creating the same container at once lose one's contents).
 */
import * as Y from 'yjs';
import { newId } from './ids';

export const SCHEMA_VERSION = 1;

/** Shared roots: any member may edit. Server-owned roots: only the server's write path. */
export const ROOTS = {
	meta: { kind: 'map', owner: 'server' },
	allies: { kind: 'map', owner: 'shared' }
} as const satisfies Record<string, RootDefinition>;

export type RootName = keyof typeof ROOTS;

export const SERVER_OWNED_ROOTS: ReadonlySet<string> = new Set(
	Object.entries(ROOTS)
		.filter(([, root]) => root.owner === 'server')
		.map(([name]) => name)
);

/** Natural persons (individual, group) and legal persons (organisation, association, institution). */
export const ALLY_TYPES = ['individual', 'group', 'organisation', 'association', 'institution'] as const;
export type AllyType = (typeof ALLY_TYPES)[number];

export const ALLY_NAME_MAX = 200;

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
	});
}

/** Shape migrations, indexed by the version they migrate from. */
export type Migrations = Record<number, (doc: Y.Doc) => void>;
const MIGRATIONS: Migrations = {};

/**
 * Server only: brings a loaded document up to `target`. Returns whether it changed anything.
 * A document without a version (never initialised as a workshop) is left alone.
 */
export function migrateDocument(doc: Y.Doc, migrations = MIGRATIONS, target = SCHEMA_VERSION): boolean {
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

export function addAlly(doc: Y.Doc, input: { name: string; type: AllyType }, now = Date.now()): string {
	const id = newId();
	doc.transact(() => {
		const ally = new Y.Map<unknown>();
		ally.set('name', new Y.Text(input.name.slice(0, ALLY_NAME_MAX)));
		ally.set('type', input.type);
		ally.set('createdAt', now);
		getAllies(doc).set(id, ally);
	});
	return id;
}

export function renameAlly(doc: Y.Doc, id: string, name: string): void {
	const text = getAllies(doc).get(id)?.get('name');
	if (text instanceof Y.Text) applyTextDiff(text, name.slice(0, ALLY_NAME_MAX));
}

export function setAllyType(doc: Y.Doc, id: string, type: AllyType): void {
	getAllies(doc).get(id)?.set('type', type);
}

export function removeAlly(doc: Y.Doc, id: string): void {
	getAllies(doc).delete(id);
}

export function readAllies(doc: Y.Doc): Ally[] {
	const allies: Ally[] = [];
	for (const [id, ally] of getAllies(doc)) {
		if (!(ally instanceof Y.Map)) continue;
		const name = ally.get('name');
		const type = ally.get('type');
		const createdAt = ally.get('createdAt');
		allies.push({
			id,
			name: name instanceof Y.Text ? name.toString() : '',
			type: isAllyType(type) ? type : 'organisation',
			createdAt: typeof createdAt === 'number' ? createdAt : 0
		});
	}
	return allies.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/**
 * Turns `text` into `next` with the smallest single replacement (common prefix and suffix kept),
 * so concurrent typing elsewhere in the field survives, unlike delete-all-then-insert.
 */
export function applyTextDiff(text: Y.Text, next: string): void {
	const current = text.toString();
	if (current === next) return;
	let start = 0;
	const max = Math.min(current.length, next.length);
	while (start < max && current[start] === next[start]) start++;
	let end = 0;
	while (
		end < max - start &&
		current[current.length - 1 - end] === next[next.length - 1 - end]
	) {
		end++;
	}
	text.doc!.transact(() => {
		const removed = current.length - start - end;
		if (removed > 0) text.delete(start, removed);
		const inserted = next.slice(start, next.length - end);
		if (inserted) text.insert(start, inserted);
	});
}

export interface Ally {
	id: string;
	name: string;
	type: AllyType;
	createdAt: number;
}

interface RootDefinition {
	kind: 'map' | 'array' | 'text';
	owner: 'shared' | 'server';
}
