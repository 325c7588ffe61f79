/**
 * Server-owned roots (schema.ts) are written by the server alone. A modified client can still send
 * an update that writes into one; refusing that update is unsound in Yjs (the client's later updates
 * depend on it and would never apply), so the server applies it and, in the same commit, reverts
 * the root to the server's own copy: the last state the server itself wrote and committed.
 */
import * as Y from 'yjs';
import { SERVER_OWNED_ROOTS } from '../../src/lib/shared/schema';

/** Each server-owned root as the server last wrote it: key -> JSON text of the plain value. */
export type OwnedCopy = Map<string, Map<string, string>>;

/** Records the server-owned roots' current contents (after load, after each server write). */
export function copyOwnedRoots(doc: Y.Doc, roots: Iterable<string> = SERVER_OWNED_ROOTS, into: OwnedCopy = new Map()): OwnedCopy {
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
 * Puts `roots` back to `copy`: keys the client added are deleted, keys it changed or deleted are
 * set again, and anything it inserted as list content under the root is deleted. Must run inside a
 * transaction. Returns whether anything had to change.
 */
export function revertOwnedRoots(transaction: Y.Transaction, roots: Iterable<string>, copy: OwnedCopy): boolean {
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
