import { describe, expect, it } from 'vitest';
import { SaveTracker } from '../../src/lib/realtime/save-tracker';

const step1 = new Uint8Array([0, 0, 0]);
const step2 = new Uint8Array([0, 1, 0]);
const update = new Uint8Array([0, 2, 0]);

describe('the save tracker numbers local changes', () => {
	it('numbers local changes from one and reports the latest number', () => {
		const tracker = new SaveTracker();
		const socket = {};
		tracker.socketCreated(socket);
		expect(tracker.changes).toBe(0);
		expect(tracker.savedThrough).toBe(0);
		tracker.messageSent(socket, update);
		expect(tracker.localChange(true)).toBe(1);
		tracker.messageSent(socket, update);
		expect(tracker.localChange(true)).toBe(2);
		expect(tracker.changes).toBe(2);
		expect(tracker.savedThrough).toBe(0);
	});

	it('reports as saved only the changes whose earlier changes are all committed too', () => {
		const tracker = new SaveTracker();
		const socket = {};
		tracker.socketCreated(socket);
		tracker.localChange(false); // 1: made before the socket opened, waits for the sync step 2
		tracker.messageSent(socket, step1); // message 1
		tracker.messageSent(socket, update); // message 2
		tracker.localChange(true); // 2
		tracker.messageSent(socket, update); // message 3
		tracker.localChange(true); // 3
		tracker.committed(3);
		// Changes 2 and 3 are acknowledged but change 1 is not: nothing is saved through 1 yet.
		expect(tracker.unsaved).toBe(1);
		expect(tracker.savedThrough).toBe(0);
		tracker.messageSent(socket, step2); // message 4 carries change 1
		tracker.committed(4);
		expect(tracker.savedThrough).toBe(3);
		expect(tracker.unsaved).toBe(0);
	});

	it('moves the saved mark forward acknowledgement by acknowledgement', () => {
		const tracker = new SaveTracker();
		const socket = {};
		tracker.socketCreated(socket);
		for (let i = 0; i < 5; i++) {
			tracker.messageSent(socket, update);
			tracker.localChange(true);
		}
		tracker.committed(2);
		expect(tracker.savedThrough).toBe(2);
		tracker.committed(4);
		expect(tracker.savedThrough).toBe(4);
		tracker.socketCreated({}); // the fifth is re-sent on the next socket
		expect(tracker.savedThrough).toBe(4);
	});
});
