/**
 * The facilitator's settings that outlive the room, in the server-owned `facilitation` root: the
 * path the workshop runs, the step the group was brought to, whose voice counts in the scores, and
 * the follow-up period. Every server write of one also stamps when (`changedAt`, a key -> ms map in
 * the same root), so that an import can tell which copy changed a setting last.
 *
 * The rule on import (src/lib/server/import-merge.ts):
 * - a workshop the import creates takes every setting the file holds;
 * - a merge into a workshop already here takes a setting from the file only when the file changed
 *   it later than this server did (a setting the venue laptop changed during the forum reaches the
 *   central server; one changed here since the export stays). A setting neither side stamped (a copy
 *   from before the stamps) stays as it is here;
 * - the countdown and the projector's screen are the room's, not settings: never imported.
 */
import type * as Y from 'yjs';
import { isBoardStep, isPathOption } from './steps';
import { isVoiceMode, SCORING_VOICE_KEY } from './voices';
import { FOLLOW_UP_KEY } from './follow-up';

export const FACILITATION_SETTINGS = ['path', 'step', SCORING_VOICE_KEY, FOLLOW_UP_KEY] as const;
export type FacilitationSetting = (typeof FACILITATION_SETTINGS)[number];

/** The `facilitation` key holding when each setting was last written (ms since the epoch). */
export const CHANGED_AT_KEY = 'changedAt';

export interface FacilitationSettings {
	/** Only settings with a valid value. */
	values: Partial<Record<FacilitationSetting, unknown>>;
	/** Only settings with a stamp. */
	changedAt: Partial<Record<FacilitationSetting, number>>;
}

/** What a setting may hold; anything else in a file is ignored. */
const VALID: Record<FacilitationSetting, (value: unknown) => boolean> = {
	path: isPathOption,
	step: (value) => value === null || isBoardStep(value),
	scoringVoice: isVoiceMode,
	followUp: (value) => {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
		const period = value as Record<string, unknown>;
		return (
			typeof period.open === 'boolean' &&
			typeof period.at === 'number' &&
			Number.isFinite(period.at) &&
			typeof period.by === 'string' &&
			period.by.length <= 200
		);
	}
};

/** Writes a setting and its stamp; call inside the server's own transaction. */
export function setFacilitationSetting(
	doc: Y.Doc,
	key: FacilitationSetting,
	value: unknown,
	at: number
): void {
	const root = doc.getMap('facilitation');
	root.set(key, value);
	root.set(CHANGED_AT_KEY, inOrder({ ...readFacilitationSettings(doc).changedAt, [key]: at }));
}

/** Stamps in the settings' own order, so equal stamps are equal JSON. */
function inOrder(stamps: Partial<Record<FacilitationSetting, number>>): Record<string, number> {
	const ordered: Record<string, number> = {};
	for (const key of FACILITATION_SETTINGS)
		if (stamps[key] !== undefined) ordered[key] = stamps[key];
	return ordered;
}

export function readFacilitationSettings(doc: Y.Doc): FacilitationSettings {
	const root = doc.getMap('facilitation');
	const stamps = root.get(CHANGED_AT_KEY);
	const settings: FacilitationSettings = { values: {}, changedAt: {} };
	for (const key of FACILITATION_SETTINGS) {
		if (root.has(key) && VALID[key](root.get(key))) settings.values[key] = root.get(key);
		const at =
			stamps && typeof stamps === 'object' ? (stamps as Record<string, unknown>)[key] : undefined;
		if (typeof at === 'number' && Number.isFinite(at)) settings.changedAt[key] = at;
	}
	return settings;
}

/** The settings to take from a file (the rule above), each with the stamp it keeps here. */
export function settingsToTake(
	here: FacilitationSettings,
	file: FacilitationSettings,
	created: boolean
): { key: FacilitationSetting; value: unknown; at: number | null }[] {
	const taken: { key: FacilitationSetting; value: unknown; at: number | null }[] = [];
	for (const key of FACILITATION_SETTINGS) {
		if (!(key in file.values)) continue;
		const fileAt = file.changedAt[key] ?? null;
		if (!created && (fileAt === null || fileAt <= (here.changedAt[key] ?? -Infinity))) continue;
		taken.push({ key, value: file.values[key], at: fileAt });
	}
	return taken;
}

/** Writes what `settingsToTake` chose, keeping the file's stamps; only what differs is written. */
export function writeTakenSettings(
	doc: Y.Doc,
	taken: readonly { key: FacilitationSetting; value: unknown; at: number | null }[]
): void {
	if (taken.length === 0) return;
	const root = doc.getMap('facilitation');
	const stamps = { ...readFacilitationSettings(doc).changedAt };
	for (const { key, value, at } of taken) {
		if (JSON.stringify(root.get(key)) !== JSON.stringify(value)) root.set(key, value);
		if (at === null) delete stamps[key];
		else stamps[key] = at;
	}
	const ordered = inOrder(stamps);
	if (JSON.stringify(root.get(CHANGED_AT_KEY) ?? {}) !== JSON.stringify(ordered))
		root.set(CHANGED_AT_KEY, ordered);
}
