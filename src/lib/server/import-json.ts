/**
 * Reading a workshop file (src/lib/server/export-json.ts) back, before anything is written: its
 * size, that it is whole JSON, its format and version, its checksum, that it is a facilitator's
 * export (the only one with the votes), and every field's type and limits. The Yjs state is tried
 * on a scratch document with `Y.applyUpdate` (V1 only: the V2 decoders can hang on crafted bytes,
 * Yjs #687) and must apply whole. Any problem throws an `ImportError` naming it; nothing is changed.
 */
import * as Y from 'yjs';
import type { StoredRound } from './ports/storage';
import { checksumOf, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, type WorkshopData } from './export-json';
import { isValidDocName } from '../shared/protocol';
import { isBoardStep } from '../shared/steps';
import {
	readFacilitationSettings,
	type FacilitationSettings
} from '../shared/facilitation-settings';
import { getSchemaVersion } from '../shared/schema';
import { ROUND_STATES, VOICE_MODES, VOTE_MODES, type Proposal } from '../shared/consensus';

/**
 * Larger files are refused before they are read: a workshop's file is usually well under 1 MiB, and
 * reading 8 MiB holds the event loop about half a second (3.8 MB took 225 ms here).
 */
export const IMPORT_MAX_BYTES = 8 * 1024 * 1024;

export const IMPORT_PROBLEMS = [
	'too_large',
	'truncated',
	'not_json',
	'wrong_format',
	'wrong_version',
	'checksum',
	'not_facilitator_export',
	'invalid',
	'bad_state',
	'forbidden',
	'document_full'
] as const;
export type ImportProblem = (typeof IMPORT_PROBLEMS)[number];

export class ImportError extends Error {
	constructor(
		readonly problem: ImportProblem,
		readonly detail = ''
	) {
		super(detail ? `${problem}: ${detail}` : problem);
	}
}

export interface ParsedWorkshopFile {
	data: Omit<WorkshopData, 'state' | 'versions' | 'namedVersions'> & {
		versions: (Omit<WorkshopData['versions'][number], 'state'> & { state: Uint8Array })[];
		namedVersions: (Omit<WorkshopData['namedVersions'][number], 'state'> & { state: Uint8Array })[];
	};
	/** The document's V1 state, checked to apply whole to an empty document. */
	state: Uint8Array;
	/** The document's schema version (meta.schemaVersion in the state). */
	schemaVersion: number;
	/** The facilitator's settings the state holds, with their stamps (valid values only). */
	facilitation: FacilitationSettings;
}

export function parseWorkshopFile(text: string, maxBytes = IMPORT_MAX_BYTES): ParsedWorkshopFile {
	if (Buffer.byteLength(text) > maxBytes)
		throw new ImportError('too_large', `over ${maxBytes} bytes`);
	let file: unknown;
	try {
		file = JSON.parse(text);
	} catch {
		// A file that starts as one of ours but does not end as JSON was cut short.
		const truncated = text.trimStart().startsWith('{') && !text.trimEnd().endsWith('}');
		throw new ImportError(truncated ? 'truncated' : 'not_json');
	}
	if (!isObject(file) || file.format !== EXPORT_FORMAT) throw new ImportError('wrong_format');
	if (file.formatVersion !== EXPORT_FORMAT_VERSION) {
		throw new ImportError(
			'wrong_version',
			`version ${String(file.formatVersion)}, expected ${EXPORT_FORMAT_VERSION}`
		);
	}
	if (typeof file.checksum !== 'string' || file.checksum !== checksumOf(file.data))
		throw new ImportError('checksum');
	if (file.audience !== 'facilitator') throw new ImportError('not_facilitator_export');
	const data = checkData(file.data);
	const state = decodeState(data.state, 'state');
	const scratch = tryState(state, 'state');
	const workshopId = scratch.getMap('meta').get('workshopId');
	if (workshopId !== undefined && workshopId !== data.workshop.id) {
		throw new ImportError('invalid', 'the state is another workshop’s');
	}
	const schemaVersion = getSchemaVersion(scratch);
	const facilitation = readFacilitationSettings(scratch);
	scratch.destroy();
	const versions = data.versions.map((version, index) => {
		const bytes = decodeState(version.state, `versions[${index}].state`);
		tryState(bytes, `versions[${index}].state`).destroy();
		return { ...version, state: bytes };
	});
	const namedVersions = data.namedVersions.map((version, index) => {
		const bytes = decodeState(version.state, `namedVersions[${index}].state`);
		tryState(bytes, `namedVersions[${index}].state`).destroy();
		return { ...version, state: bytes };
	});
	return { data: { ...data, versions, namedVersions }, state, schemaVersion, facilitation };
}

function decodeState(base64: string, where: string): Uint8Array {
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
		throw new ImportError('bad_state', `${where} is not base64`);
	return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** Applies the state to an empty document: it must apply without error and leave nothing pending. */
function tryState(state: Uint8Array, where: string): Y.Doc {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
	} catch {
		doc.destroy();
		throw new ImportError('bad_state', `${where} does not apply`);
	}
	if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
		doc.destroy();
		throw new ImportError('bad_state', `${where} is incomplete`);
	}
	return doc;
}

/** Every field of `data`, by type and limit; the path of the first wrong one is the error's detail. */
function checkData(value: unknown): WorkshopData {
	const data = object(value, 'data');
	const workshop = object(data.workshop, 'workshop');
	if (typeof workshop.id !== 'string' || !isValidDocName(workshop.id)) throw invalid('workshop.id');
	text(workshop.title, 'workshop.title', 1, 200);
	num(workshop.createdAt, 'workshop.createdAt');
	nullable(workshop.date, 'workshop.date', (v, p) => text(v, p, 10, 10));
	text(workshop.place, 'workshop.place', 0, 500);
	oneOf(workshop.language, 'workshop.language', ['fr', 'en']);
	text(workshop.issue, 'workshop.issue', 0, 5000);
	// Absent in a file from before the stamps: not known, as null.
	if (workshop.detailsChangedAt === undefined) workshop.detailsChangedAt = null;
	nullable(workshop.detailsChangedAt, 'workshop.detailsChangedAt', stamp);
	list(data.organisations, 'organisations', (entry, path) => {
		id(entry.id, `${path}.id`);
		text(entry.name, `${path}.name`, 1, 200);
		num(entry.createdAt, `${path}.createdAt`);
		nullable(entry.delegateUserId, `${path}.delegateUserId`, id);
	});
	unique(data.organisations as { id: string }[], 'organisations', (entry) => entry.id);
	list(data.members, 'members', (entry, path) => {
		id(entry.userId, `${path}.userId`);
		oneOf(entry.role, `${path}.role`, ['facilitator', 'participant', 'observer']);
		text(entry.name, `${path}.name`, 0, 200);
		nullable(entry.organisationId, `${path}.organisationId`, id);
		text(entry.grantedBy, `${path}.grantedBy`, 1, 50);
		num(entry.joinedAt, `${path}.joinedAt`);
	});
	list(data.proposals, 'proposals', (entry, path) => checkProposal(entry, path));
	list(data.rounds, 'rounds', (entry, path) => checkRound(entry, path));
	const roundIds = new Set((data.rounds as StoredRound[]).map((round) => round.id));
	list(data.ballots, 'ballots', (entry, path) => {
		if (!roundIds.has(entry.roundId as string)) throw invalid(`${path}.roundId`);
		text(entry.voterKey, `${path}.voterKey`, 1, 300);
		nullable(entry.voterId, `${path}.voterId`, id);
		text(entry.voterName, `${path}.voterName`, 0, 300);
		nullable(entry.organisationId, `${path}.organisationId`, id);
		nullable(entry.organisation, `${path}.organisation`, (v, p) => text(v, p, 0, 300));
		checkPositions(entry.positions, `${path}.positions`);
		text(entry.enteredBy, `${path}.enteredBy`, 0, 100);
		nullable(entry.enteredByName, `${path}.enteredByName`, (v, p) => text(v, p, 0, 300));
		num(entry.updatedAt, `${path}.updatedAt`);
	});
	list(data.scores, 'scores', (entry, path) => {
		id(entry.candidateId, `${path}.candidateId`);
		id(entry.userId, `${path}.userId`);
		text(entry.criterion, `${path}.criterion`, 1, 50);
		rating(entry.score, `${path}.score`);
		text(entry.enteredBy, `${path}.enteredBy`, 0, 100);
		num(entry.updatedAt, `${path}.updatedAt`);
	});
	list(data.placements, 'placements', (entry, path) => {
		id(entry.allyId, `${path}.allyId`);
		id(entry.userId, `${path}.userId`);
		rating(entry.influence, `${path}.influence`);
		rating(entry.interest, `${path}.interest`);
		text(entry.enteredBy, `${path}.enteredBy`, 0, 100);
		num(entry.updatedAt, `${path}.updatedAt`);
	});
	list(data.contacts, 'contacts', (entry, path) => {
		id(entry.allyId, `${path}.allyId`);
		text(entry.text, `${path}.text`, 0, 500);
		nullable(entry.updatedBy, `${path}.updatedBy`, id);
		num(entry.updatedAt, `${path}.updatedAt`);
	});
	list(data.events, 'events', (entry, path) => {
		id(entry.uid, `${path}.uid`);
		oneOf(entry.kind, `${path}.kind`, ['lock', 'unlock', 'archive', 'unarchive', 'step']);
		id(entry.userId, `${path}.userId`);
		text(entry.userName, `${path}.userName`, 0, 200);
		nullable(entry.reason, `${path}.reason`, (v, p) => text(v, p, 0, 1000));
		// A step reached names its step (the timeline shows it by name).
		if (entry.kind === 'step' && !isBoardStep(entry.reason)) throw invalid(`${path}.reason`);
		num(entry.at, `${path}.at`);
	});
	list(data.versions, 'versions', (entry, path) => {
		id(entry.eventUid, `${path}.eventUid`);
		num(entry.charterVersion, `${path}.charterVersion`);
		object(entry.charter, `${path}.charter`);
		text(entry.state, `${path}.state`, 0, Number.MAX_SAFE_INTEGER);
		num(entry.createdAt, `${path}.createdAt`);
	});
	list(data.namedVersions, 'namedVersions', (entry, path) => {
		id(entry.uid, `${path}.uid`);
		text(entry.name, `${path}.name`, 1, 100);
		id(entry.userId, `${path}.userId`);
		text(entry.userName, `${path}.userName`, 0, 200);
		num(entry.charterVersion, `${path}.charterVersion`);
		object(entry.charter, `${path}.charter`);
		text(entry.state, `${path}.state`, 0, Number.MAX_SAFE_INTEGER);
		num(entry.createdAt, `${path}.createdAt`);
	});
	const revealed = object(data.revealed, 'revealed');
	bounded(
		object(revealed.candidateResults, 'revealed.candidateResults'),
		'revealed.candidateResults'
	);
	bounded(object(revealed.allyMap, 'revealed.allyMap'), 'revealed.allyMap');
	bounded(object(data.acceptances, 'acceptances'), 'acceptances');
	if (data.endorsements !== undefined)
		bounded(object(data.endorsements, 'endorsements'), 'endorsements');
	text(data.state, 'state', 1, Number.MAX_SAFE_INTEGER);
	return data as unknown as WorkshopData;
}

function checkProposal(
	entry: Record<string, unknown>,
	path: string
): asserts entry is Record<string, unknown> & Proposal {
	id(entry.id, `${path}.id`);
	text(entry.wording, `${path}.wording`, 1, 500);
	text(entry.rationale, `${path}.rationale`, 0, 2000);
	id(entry.authorId, `${path}.authorId`);
	text(entry.authorName, `${path}.authorName`, 0, 200);
	num(entry.createdAt, `${path}.createdAt`);
	num(entry.updatedAt, `${path}.updatedAt`);
	nullable(entry.mergedInto, `${path}.mergedInto`, id);
	if (typeof entry.final !== 'boolean') throw invalid(`${path}.final`);
}

function checkRound(entry: Record<string, unknown>, path: string): void {
	id(entry.id, `${path}.id`);
	if (
		!Array.isArray(entry.proposalIds) ||
		entry.proposalIds.length === 0 ||
		entry.proposalIds.length > 10
	) {
		throw invalid(`${path}.proposalIds`);
	}
	entry.proposalIds.forEach((proposalId, index) => id(proposalId, `${path}.proposalIds[${index}]`));
	oneOf(entry.mode, `${path}.mode`, VOTE_MODES);
	const rule = object(entry.rule, `${path}.rule`);
	if (rule.kind !== entry.mode) throw invalid(`${path}.rule`);
	for (const key of ['minLevel', 'minMean', 'dots'] as const) {
		if (rule[key] !== undefined) num(rule[key], `${path}.rule.${key}`);
	}
	if (typeof entry.anonymous !== 'boolean' || typeof entry.live !== 'boolean')
		throw invalid(`${path}.anonymous`);
	oneOf(entry.voice, `${path}.voice`, VOICE_MODES);
	oneOf(entry.state, `${path}.state`, ROUND_STATES);
	id(entry.openedBy, `${path}.openedBy`);
	num(entry.openedAt, `${path}.openedAt`);
	nullable(entry.closedAt, `${path}.closedAt`, num);
	nullable(entry.revealedAt, `${path}.revealedAt`, num);
	nullable(entry.override, `${path}.override`, (value, at) => {
		const override = object(value, at);
		text(override.reason, `${at}.reason`, 1, 500);
		text(override.byId, `${at}.byId`, 0, 100);
		text(override.byName, `${at}.byName`, 0, 200);
		num(override.at, `${at}.at`);
	});
}

function checkPositions(value: unknown, path: string): void {
	const positions = object(value, path);
	if (Object.keys(positions).length > 10) throw invalid(path);
	for (const [proposalId, raw] of Object.entries(positions)) {
		id(proposalId, path);
		const position = object(raw, `${path}.${proposalId}`);
		const ok =
			(typeof position.value === 'number' &&
				Number.isInteger(position.value) &&
				position.value >= 0 &&
				position.value <= 10) ||
			['agree', 'reservations', 'block'].includes(position.value as string);
		if (!ok) throw invalid(`${path}.${proposalId}.value`);
		if (position.reason !== undefined)
			text(position.reason, `${path}.${proposalId}.reason`, 0, 500);
	}
}

/** A map of entries (checked one by one when merged): not too many, ids for keys. */
function bounded(entries: Record<string, unknown>, path: string): void {
	const keys = Object.keys(entries);
	if (keys.length > 100_000) throw invalid(path);
	for (const key of keys)
		if (!/^[A-Za-z0-9_:.@-]{1,201}$/.test(key)) throw invalid(`${path}.${key}`);
}

/** The same id twice in one list is a damaged file, not two entries. */
function unique<T>(entries: T[], path: string, key: (entry: T) => string): void {
	const seen = new Set<string>();
	entries.forEach((entry, index) => {
		if (seen.has(key(entry))) throw invalid(`${path}[${index}]`);
		seen.add(key(entry));
	});
}

function invalid(path: string): ImportError {
	return new ImportError('invalid', path);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Record<string, unknown> {
	if (!isObject(value)) throw invalid(path);
	return value;
}

function list(
	value: unknown,
	path: string,
	check: (entry: Record<string, unknown>, path: string) => void
): void {
	if (!Array.isArray(value) || value.length > 100_000) throw invalid(path);
	value.forEach((entry, index) => check(object(entry, `${path}[${index}]`), `${path}[${index}]`));
}

function text(value: unknown, path: string, min: number, max: number): void {
	if (typeof value !== 'string' || value.length < min || value.length > max) throw invalid(path);
}

function id(value: unknown, path: string): void {
	if (typeof value !== 'string' || !/^[A-Za-z0-9_:.@-]{1,100}$/.test(value)) throw invalid(path);
}

function num(value: unknown, path: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path);
}

/** Milliseconds since the epoch, as both engines store them (a BIGINT takes no fraction). */
function stamp(value: unknown, path: string): void {
	if (!Number.isSafeInteger(value) || (value as number) < 0) throw invalid(path);
}

function rating(value: unknown, path: string): void {
	if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 5)
		throw invalid(path);
}

function oneOf(value: unknown, path: string, allowed: readonly string[]): void {
	if (!allowed.includes(value as string)) throw invalid(path);
}

function nullable(
	value: unknown,
	path: string,
	check: (value: unknown, path: string) => void
): void {
	if (value !== null) check(value, path);
}
