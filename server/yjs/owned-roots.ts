/**
 * Server-owned roots (schema.ts) are written by the server alone. A modified client can still send
 * an update that writes into one; refusing that update is unsound in Yjs (the client's later updates
 * depend on it and would never apply), so the server applies it and, in the same commit, reverts
 * the root to the server's own copy: the values the server itself wrote.
 *
 * That copy is never read back from the document, which a forged write may have reached: every
 * server transaction that changes an owned root stores what it changed beside its update row (an
 * "owned record", in the same row, so in the same commit), and a load folds those records. A
 * document stored before records existed is rebuilt once from the database (owned-rebuild.ts) and
 * gets a full record then.
 */
import * as Y from 'yjs';
import { SERVER_OWNED_ROOTS } from '../../src/lib/shared/schema';

/** Each server-owned root as the server last wrote it: key -> JSON text of the plain value. */
export type OwnedCopy = Map<string, Map<string, string>>;

/** What one server transaction changed (null: key deleted), or the whole copy (`full`). */
interface OwnedRecord {
	full?: true;
	roots: Record<string, Record<string, string | null>>;
}

/** The server-owned roots' plain values as the document holds them now. */
export function copyOwnedRoots(
	doc: Y.Doc,
	roots: Iterable<string> = SERVER_OWNED_ROOTS,
	into: OwnedCopy = new Map()
): OwnedCopy {
	for (const name of roots) {
		const entries = new Map<string, string>();
		for (const [key, value] of doc.getMap(name)) {
			// Plain values only (the schema's rule); a nested type is never the server's.
			if (!(value instanceof Y.AbstractType)) entries.set(key, JSON.stringify(value));
		}
		into.set(name, entries);
	}
	return into;
}

/**
 * After a server transaction: brings `copy` up to date with what it changed in `roots` and returns
 * the record to store with its update row, or null when the copy did not change (a revert).
 */
export function recordServerWrite(
	transaction: Y.Transaction,
	roots: Iterable<string>,
	copy: OwnedCopy
): string | null {
	const doc = transaction.doc;
	const record: OwnedRecord = { roots: {} };
	let changed = false;
	for (const name of roots) {
		const root = doc.getMap(name);
		const entries = copy.get(name) ?? new Map<string, string>();
		copy.set(name, entries);
		// The keys this transaction set or deleted (null stands for list content, never a key).
		const keys = [
			...(transaction.changed.get(
				root as unknown as Parameters<Y.Transaction['changed']['get']>[0]
			) ?? [])
		].filter((key): key is string => key !== null);
		for (const key of keys) {
			const value = root.get(key);
			const json =
				value === undefined || value instanceof Y.AbstractType ? null : JSON.stringify(value);
			if ((entries.get(key) ?? null) === json) continue;
			if (json === null) entries.delete(key);
			else entries.set(key, json);
			(record.roots[name] ??= {})[key] = json;
			changed = true;
		}
	}
	return changed ? JSON.stringify(record) : null;
}

/** Whether any owned root holds a value in `copy`. */
export function hasOwnedValues(copy: OwnedCopy): boolean {
	for (const entries of copy.values()) if (entries.size > 0) return true;
	return false;
}

/** The whole copy as a record: a load's baseline, and the owned part of a snapshot. */
export function fullRecord(copy: OwnedCopy): string {
	const record: OwnedRecord = { full: true, roots: {} };
	for (const [name, entries] of copy) record.roots[name] = Object.fromEntries(entries);
	return JSON.stringify(record);
}

/**
 * The copy the stored records describe: the snapshot's, then each log row's in commit order. Null
 * when the document has no full record (stored before records existed): the caller rebuilds it.
 * Throws on a record that is not one (a load fails rather than trust a damaged copy).
 */
export function foldOwnedRecords(records: Iterable<string | null>): OwnedCopy | null {
	let copy: OwnedCopy | null = null;
	for (const text of records) {
		if (text === null) continue;
		const record = parseRecord(text);
		if (record.full) copy = new Map();
		// A change recorded without a baseline before it cannot be placed: rebuild instead.
		if (!copy) return null;
		for (const [name, entries] of Object.entries(record.roots)) {
			const target = copy.get(name) ?? new Map<string, string>();
			copy.set(name, target);
			for (const [key, json] of Object.entries(entries)) {
				if (json === null) target.delete(key);
				else target.set(key, json);
			}
		}
	}
	return copy;
}

/**
 * Puts `roots` back to `copy`: keys the client added are deleted, keys it changed or deleted are
 * set again, and anything it inserted as list content under the root is deleted. Must run inside a
 * transaction. Returns whether anything had to change.
 */
export function revertOwnedRoots(
	transaction: Y.Transaction,
	roots: Iterable<string>,
	copy: OwnedCopy
): boolean {
	const doc = transaction.doc;
	let changed = false;
	for (const name of roots) {
		const root = doc.getMap(name);
		const wanted = copy.get(name) ?? new Map<string, string>();
		for (const [key, value] of root) {
			const json = wanted.get(key);
			if (json === undefined) {
				root.delete(key);
				changed = true;
			} else if (value instanceof Y.AbstractType || JSON.stringify(value) !== json) {
				root.set(key, JSON.parse(json));
				changed = true;
			}
		}
		for (const [key, json] of wanted) {
			if (!root.has(key)) {
				root.set(key, JSON.parse(json));
				changed = true;
			}
		}
		// A client that reads the root as an array writes list items the map API never shows.
		for (let item = root._start; item !== null; item = item.right) {
			if (!item.deleted) {
				item.delete(transaction);
				changed = true;
			}
		}
	}
	return changed;
}

function parseRecord(text: string): OwnedRecord {
	const record = JSON.parse(text) as OwnedRecord;
	if (!record || typeof record !== 'object' || !record.roots || typeof record.roots !== 'object') {
		throw new Error('not an owned-roots record');
	}
	for (const [name, entries] of Object.entries(record.roots)) {
		if (!SERVER_OWNED_ROOTS.has(name) || !entries || typeof entries !== 'object') {
			throw new Error(`owned-roots record names ${name}, which is not a server-owned root`);
		}
		for (const json of Object.values(entries)) {
			if (json !== null && typeof json !== 'string')
				throw new Error('owned-roots record holds a non-JSON value');
		}
	}
	return record;
}
