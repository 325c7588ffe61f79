/**
 * The rule for the facilitator's settings on import: a workshop the import creates takes the
 * file's; a merge takes a setting only when the file changed it later than this server did; a
 * value that isn't a setting's is never taken; the countdown and the projector's screen are not
 * settings.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	readFacilitationSettings,
	setFacilitationSetting,
	settingsToTake,
	writeTakenSettings,
	type FacilitationSettings
} from '../../src/lib/shared/facilitation-settings';

const NONE: FacilitationSettings = { values: {}, changedAt: {} };

describe('the facilitator’s settings on import', () => {
	it('a workshop the import creates takes every setting of the file, stamped or not', () => {
		const file: FacilitationSettings = {
			values: { path: 'create', step: 'study', scoringVoice: 'organisation' },
			changedAt: { path: 100 }
		};
		expect(settingsToTake(NONE, file, true)).toEqual([
			{ key: 'path', value: 'create', at: 100 },
			{ key: 'step', value: 'study', at: null },
			{ key: 'scoringVoice', value: 'organisation', at: null }
		]);
	});

	it('a merge takes a setting the file changed later, keeps one changed here later or at the same time', () => {
		const here: FacilitationSettings = {
			values: { path: 'both', step: 'identify', scoringVoice: 'participant' },
			changedAt: { path: 100, step: 500, scoringVoice: 300 }
		};
		const file: FacilitationSettings = {
			values: { path: 'create', step: 'maintain', scoringVoice: 'organisation' },
			changedAt: { path: 400, step: 200, scoringVoice: 300 }
		};
		expect(settingsToTake(here, file, false)).toEqual([{ key: 'path', value: 'create', at: 400 }]);
	});

	it('a merge takes a stamped setting this server never stamped, and never an unstamped one', () => {
		const here: FacilitationSettings = { values: { path: 'both' }, changedAt: {} };
		const stamped: FacilitationSettings = { values: { path: 'join' }, changedAt: { path: 1 } };
		const unstamped: FacilitationSettings = { values: { path: 'join' }, changedAt: {} };
		expect(settingsToTake(here, stamped, false)).toEqual([{ key: 'path', value: 'join', at: 1 }]);
		expect(settingsToTake(here, unstamped, false)).toEqual([]);
	});

	it('reads only valid values, and neither the countdown nor the screen', () => {
		const doc = new Y.Doc();
		const root = doc.getMap('facilitation');
		root.set('path', 'everything');
		root.set('step', 'nowhere');
		root.set('scoringVoice', 'organisation');
		root.set('followUp', { open: 'yes' });
		root.set('countdown', { durationMs: 60_000, startedAt: 5 });
		root.set('screen', 'join');
		root.set('changedAt', { path: 9, scoringVoice: 'later', countdown: 5 });
		expect(readFacilitationSettings(doc)).toEqual({
			values: { scoringVoice: 'organisation' },
			changedAt: { path: 9 }
		});
		root.set('step', null);
		expect(readFacilitationSettings(doc).values).toEqual({
			step: null,
			scoringVoice: 'organisation'
		});
	});

	it('writes what it takes with the file’s stamps, and writing it again changes nothing', () => {
		const doc = new Y.Doc();
		setFacilitationSetting(doc, 'step', 'identify', 50);
		setFacilitationSetting(doc, 'path', 'both', 40);
		const file: FacilitationSettings = {
			values: { path: 'create', step: 'tasks' },
			changedAt: { path: 100, step: 200 }
		};
		const taken = settingsToTake(readFacilitationSettings(doc), file, false);
		writeTakenSettings(doc, taken);
		expect(readFacilitationSettings(doc)).toEqual(file);
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		writeTakenSettings(doc, taken);
		expect(settingsToTake(readFacilitationSettings(doc), file, false)).toEqual([]);
		expect(updates).toEqual([]);
	});
});
