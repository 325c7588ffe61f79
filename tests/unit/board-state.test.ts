/**
 * BoardState's writes on the allies: the ally's organisation (AllyOrganisation.svelte used to
 * write it on the document itself), with this person's origin. The connection and the device's
 * copy are stand-ins: a plain Y.Doc, no network, no IndexedDB.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { addAlly } from '../../src/lib/shared/schema';
import { readAllyOrganisation, setAllyOrganisation } from '../../src/lib/shared/acceptances';
import { BoardState } from '../../src/lib/state/board.svelte';

const connection = vi.hoisted(() => ({ doc: null as unknown }));

// vi.mock is hoisted above the imports: BoardState gets these stand-ins.
vi.mock('../../src/lib/realtime/board-connection', async () => {
	const Yjs = await import('yjs');
	const { Awareness: PresenceAwareness } = await import('y-protocols/awareness');
	return {
		connectBoard() {
			const doc = new Yjs.Doc();
			connection.doc = doc;
			const awareness = new PresenceAwareness(doc);
			return {
				doc,
				provider: { awareness, on() {}, connect() {}, disconnect() {} },
				saves: { onChange() {}, restoreUnsaved() {}, unsavedChanges: 0 },
				notLocal: new Set(),
				destroy: () => awareness.destroy()
			};
		}
	};
});

vi.mock('../../src/lib/realtime/local-copy', () => ({
	openLocalCopy: () => ({
		loaded: Promise.resolve(false),
		unsavedBefore: () => Promise.resolve(0),
		rememberUnsaved() {},
		close() {},
		wipe: () => Promise.resolve()
	}),
	askPersistentStorage() {},
	keepBoardPage() {},
	registerOfflineWorker() {}
}));

describe('BoardState: the organisation an ally stands for', () => {
	let board: BoardState;
	let doc: Y.Doc;

	beforeEach(() => {
		vi.stubGlobal('addEventListener', () => {});
		vi.stubGlobal('removeEventListener', () => {});
		board = new BoardState('w1', 'http://localhost', {
			name: 'Awa',
			organisation: null,
			role: 'participant',
			colour: '#b3261e'
		});
		doc = connection.doc as Y.Doc;
		expect(board.doc).toBe(doc);
	});

	afterEach(() => {
		board.destroy();
		vi.unstubAllGlobals();
	});

	it('links and unlinks the ally as AllyOrganisation did, in one transaction as this person', () => {
		const ally = board.addAlly('Radio rurale', 'organisation');
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		const origins: unknown[] = [];
		doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));

		board.setAllyOrganisation(ally, 'org-1');
		setAllyOrganisation(copy, ally, 'org-1', board.origin);
		expect(doc.getMap('allies').toJSON()).toEqual(copy.getMap('allies').toJSON());
		expect(board.allyOrganisation(ally)).toBe('org-1');

		board.setAllyOrganisation(ally, null);
		setAllyOrganisation(copy, ally, null, board.origin);
		expect(doc.getMap('allies').toJSON()).toEqual(copy.getMap('allies').toJSON());
		expect(board.allyOrganisation(ally)).toBeNull();
		expect(readAllyOrganisation(doc, ally)).toBeNull();
		expect(origins).toEqual([board.origin, board.origin]);
	});

	it('reads no organisation for an ally that is not (or no longer) there', () => {
		const ally = addAlly(doc, { name: 'Mairie', type: 'institution' }, 1);
		board.setAllyOrganisation('gone', 'org-1');
		expect(board.allyOrganisation('gone')).toBeNull();
		expect(board.allyOrganisation(ally)).toBeNull();
	});
});
