/**
 * An archived workshop (`meta.archived`, written by the server): the board is read-only for
 * everyone — the server drops client document writes — while commands keep working for follow-up.
 */
import type * as Y from 'yjs';

export function isArchived(doc: Y.Doc): boolean {
	return doc.getMap('meta').get('archived') === true;
}

/** Server only (inside `changeDocument`). */
export function setArchived(doc: Y.Doc, archived: boolean, at: number): void {
	const meta = doc.getMap('meta');
	meta.set('archived', archived);
	meta.set('archivedAt', archived ? at : null);
}
