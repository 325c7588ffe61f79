import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { changeKeyOf, SaveTracker } from '../../src/lib/realtime/save-tracker';
import { addAlly, getAllyText, initDocument } from '../../src/lib/shared/schema';

const step1 = new Uint8Array([0, 0, 0]);
const step2 = new Uint8Array([0, 1, 0]);
const update = new Uint8Array([0, 2, 0]);
const awareness = new Uint8Array([1, 0]);

describe('the save tracker', () => {
	it('counts a change as saved once the sync message that carried it is committed', () => {
		const tracker = new SaveTracker();
		const socket = {};
		tracker.socketCreated(socket);
		tracker.messageSent(socket, step1); // 1
		tracker.messageSent(socket, awareness); // not a sync message
		tracker.messageSent(socket, update); // 2
		tracker.localChange(true);
		tracker.messageSent(socket, update); // 3
		tracker.localChange(true);
		expect(tracker.unsaved).toBe(2);
		tracker.committed(2);
		expect(tracker.unsaved).toBe(1);
		tracker.committed(3);
		expect(tracker.unsaved).toBe(0);
	});

	it('keeps changes made offline until the sync step 2 after reconnecting is committed', () => {
		const tracker = new SaveTracker();
		const first = {};
		tracker.socketCreated(first);
		tracker.messageSent(first, update);
		tracker.localChange(true); // sent as message 1, never acknowledged
		tracker.localChange(false); // offline
		const second = {};
		tracker.socketCreated(second);
		tracker.committed(5); // a late ack can't count: the count restarts per socket
		tracker.messageSent(first, update); // the old socket no longer counts
		expect(tracker.unsaved).toBe(2);
		tracker.messageSent(second, step1); // 1
		tracker.committed(1);
		expect(tracker.unsaved).toBe(2);
		tracker.messageSent(second, step2); // 2 carries everything the server lacked
		tracker.committed(2);
		expect(tracker.unsaved).toBe(0);
	});

	it('notifies listeners when the number of unsaved changes moves', () => {
		const tracker = new SaveTracker();
		const seen: number[] = [];
		tracker.onChange(() => seen.push(tracker.unsaved));
		const socket = {};
		tracker.socketCreated(socket);
		tracker.messageSent(socket, update);
		tracker.localChange(true);
		tracker.committed(1);
		tracker.committed(1);
		expect(seen).toEqual([1, 0]);
	});
});

describe('unsaved changes as a person counts them', () => {
	/** A doc whose local changes feed `tracker` as the board connection does, all offline. */
	function trackedDoc(tracker: SaveTracker): Y.Doc {
		const doc = new Y.Doc();
		initDocument(doc, { workshopId: 'w', createdAt: 0 });
		doc.on(
			'update',
			(_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) =>
				tracker.localChange(false, changeKeyOf(transaction.changed))
		);
		return doc;
	}

	it('counts one ally and one sentence typed into its field as 2 changes, not one per keystroke', () => {
		const tracker = new SaveTracker();
		const doc = trackedDoc(tracker);
		const id = addAlly(doc, { name: 'Mairie de Kayes', type: 'institution' });
		const text = getAllyText(doc, id, 'headquarters')!;
		for (const letter of 'Kayes, quartier Plateau') text.insert(text.length, letter);
		expect(tracker.unsaved).toBeGreaterThan(20);
		expect(tracker.unsavedChanges).toBe(2);
		// Another ally, and back to the first one's field: two more.
		addAlly(doc, { name: 'Radio rurale', type: 'institution' });
		text.insert(text.length, '.');
		expect(tracker.unsavedChanges).toBe(4);
	});

	it('keeps changes unsaved before a reload until the next sync step 2 is committed', () => {
		const tracker = new SaveTracker();
		tracker.restoreUnsaved(3);
		expect(tracker.unsavedChanges).toBe(3);
		const socket = {};
		tracker.socketCreated(socket);
		tracker.messageSent(socket, step1); // 1
		tracker.messageSent(socket, step2); // 2: carries what the server lacks
		tracker.committed(1);
		expect(tracker.unsavedChanges).toBe(3);
		tracker.committed(2);
		expect(tracker.unsavedChanges).toBe(0);
	});
});
