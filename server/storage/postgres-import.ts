/**
 * PostgreSQL side of merging an exported workshop (server/storage/sqlite-import.ts): every row of
 * the file in one transaction, recognised by its random id (or natural key), so nothing is
 * duplicated and merging the same file twice changes nothing. Rows already here win, except where
 * the file's is later by the rules' own order: a round further along (open < closed < revealed), a
 * ballot, score, placement or contact updated later, the workshop's details changed later
 * (src/lib/server/workshop-details.ts). Nothing is deleted.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { transaction } from './postgres-db';
import type { ImportCounts, ImportRecords, ImportStore } from '../../src/lib/server/ports/storage';
import { organisationKey } from '../../src/lib/shared/schema';
import { takesFileDetails } from '../../src/lib/server/workshop-details';

const STATE_RANK = "CASE state WHEN 'open' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END";

export function postgresImports(pool: pg.Pool): ImportStore {
	return {
		merge: (records) => transaction(pool, (client) => merge(client, records))
	};
}

async function merge(client: pg.PoolClient, records: ImportRecords): Promise<ImportCounts> {
	/** Rows the statement inserted or updated (SQLite's `changes`). */
	const run = async (sql: string, values: unknown[]) =>
		(await client.query(sql, values)).rowCount ?? 0;
	const counts = emptyCounts();
	const workshopId = records.workshop.id;
	const w = records.workshop;
	// ON CONFLICT, not a look-up first: two imports creating the same workshop at once both succeed.
	const created = await run(
		`INSERT INTO workshops (id, title, created_at, owner_id, date, place, language, issue, details_changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
		[
			w.id,
			w.title,
			w.createdAt,
			w.ownerId,
			w.date,
			w.place,
			w.language,
			w.issue,
			w.detailsChangedAt
		]
	);
	if (created === 1) {
		const links = records.links;
		await client.query(
			'INSERT INTO workshop_links (workshop_id, join_code, invite_token, observer_token) VALUES ($1, $2, $3, $4)',
			[workshopId, links.joinCode, links.inviteToken, links.observerToken]
		);
		counts.workshop = 1;
	} else {
		// Imports into the same workshop run one after another, as on SQLite's single writer: the
		// second then finds the first's organisations and rows (NO KEY UPDATE: members and votes
		// added meanwhile, which only key-share the workshop row, are not held up).
		const { rows } = await client.query<{ details_changed_at: number | null }>(
			'SELECT details_changed_at FROM workshops WHERE id = $1 FOR NO KEY UPDATE',
			[workshopId]
		);
		if (rows[0] && takesFileDetails(rows[0].details_changed_at, w.detailsChangedAt)) {
			counts.workshop += await run(
				`UPDATE workshops SET title = $1, date = $2, place = $3, language = $4, issue = $5,
					details_changed_at = $6 WHERE id = $7`,
				[w.title, w.date, w.place, w.language, w.issue, w.detailsChangedAt, workshopId]
			);
		}
	}
	for (const user of records.users) {
		await client.query(
			`INSERT INTO users (id, login, password_hash, created_at, kind) VALUES ($1, $2, '', $3, 'guest')
			ON CONFLICT DO NOTHING`,
			[user.id, `guest:${user.id}`, user.createdAt]
		);
	}
	const insertMember = `INSERT INTO memberships (workshop_id, user_id, role, name, organisation_id, granted_by, joined_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`;
	if (records.importer) {
		const importer = records.importer;
		await client.query(insertMember, [
			workshopId,
			importer.userId,
			'facilitator',
			importer.name,
			null,
			importer.grantedBy,
			importer.joinedAt
		]);
	}
	// An organisation of the same name already here (another id) is the same organisation.
	const organisationIds = new Map<string, string>();
	for (const organisation of records.organisations) {
		const existing = await client.query<{ id: string }>(
			'SELECT id FROM organisations WHERE workshop_id = $1 AND name_key = $2',
			[workshopId, organisationKey(organisation.name)]
		);
		if (existing.rows[0]) {
			organisationIds.set(organisation.id, existing.rows[0].id);
			continue;
		}
		// An id another workshop already uses (a forged or edited file): this one gets its own.
		const owner = await client.query<{ workshop_id: string }>(
			'SELECT workshop_id FROM organisations WHERE id = $1',
			[organisation.id]
		);
		const taken = owner.rows[0] && owner.rows[0].workshop_id !== workshopId;
		const id = taken ? randomUUID() : organisation.id;
		await client.query(
			'INSERT INTO organisations (id, workshop_id, name, name_key, created_at) VALUES ($1, $2, $3, $4, $5)',
			[
				id,
				workshopId,
				organisation.name,
				organisationKey(organisation.name),
				organisation.createdAt
			]
		);
		organisationIds.set(organisation.id, id);
		counts.organisations += 1;
	}
	for (const member of records.members) {
		const organisationId =
			member.organisationId === null ? null : (organisationIds.get(member.organisationId) ?? null);
		counts.members += await run(insertMember, [
			workshopId,
			member.userId,
			member.role,
			member.name,
			organisationId,
			member.grantedBy,
			member.joinedAt
		]);
	}
	for (const organisation of records.organisations) {
		if (organisation.delegateUserId === null) continue;
		// Only where none was designated here, and only a member of the workshop.
		await client.query(
			`UPDATE organisations SET delegate_user_id = $1
			WHERE id = $2 AND workshop_id = $3 AND delegate_user_id IS NULL
			AND EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND workshop_id = $3)`,
			[organisation.delegateUserId, organisationIds.get(organisation.id) ?? null, workshopId]
		);
	}
	for (const round of records.rounds) {
		// No conflict target: like SQLite's OR IGNORE, a round the one-open index refuses (another
		// round open here) is skipped, not an error.
		counts.rounds += await run(
			`INSERT INTO vote_rounds (id, workshop_id, proposal_ids, mode, rule, anonymous, live, voice, state,
				opened_by, opened_at, closed_at, revealed_at, override_reason, override_by, override_by_name, override_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
			ON CONFLICT DO NOTHING`,
			[
				round.id,
				workshopId,
				JSON.stringify(round.proposalIds),
				round.mode,
				JSON.stringify(round.rule),
				round.anonymous,
				round.live,
				round.voice,
				round.state,
				round.openedBy,
				round.openedAt,
				round.closedAt,
				round.revealedAt,
				round.override?.reason ?? null,
				round.override?.byId ?? null,
				round.override?.byName ?? null,
				round.override?.at ?? null
			]
		);
		counts.rounds += await run(
			`UPDATE vote_rounds SET state = $1, closed_at = coalesce(closed_at, $2),
				revealed_at = coalesce(revealed_at, $3)
			WHERE id = $4 AND workshop_id = $5 AND ${STATE_RANK} < $6`,
			[
				round.state,
				round.closedAt,
				round.revealedAt,
				round.id,
				workshopId,
				{ open: 0, closed: 1, revealed: 2 }[round.state]
			]
		);
		if (round.override) {
			counts.rounds += await run(
				`UPDATE vote_rounds SET override_reason = $1, override_by = $2, override_by_name = $3, override_at = $4
				WHERE id = $5 AND workshop_id = $6 AND override_reason IS NULL`,
				[
					round.override.reason,
					round.override.byId,
					round.override.byName,
					round.override.at,
					round.id,
					workshopId
				]
			);
		}
	}
	for (const ballot of records.ballots) {
		counts.ballots += await run(
			`INSERT INTO vote_ballots (round_id, workshop_id, voter_key, voter_id, voter_name, organisation_id, organisation,
				positions, entered_by, entered_by_name, updated_at)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
			WHERE EXISTS (SELECT 1 FROM vote_rounds WHERE id = $1 AND workshop_id = $2)
			ON CONFLICT (round_id, voter_key) DO UPDATE SET
				voter_id = excluded.voter_id, voter_name = excluded.voter_name,
				organisation_id = excluded.organisation_id, organisation = excluded.organisation,
				positions = excluded.positions, entered_by = excluded.entered_by,
				entered_by_name = excluded.entered_by_name, updated_at = excluded.updated_at
			WHERE excluded.updated_at > vote_ballots.updated_at`,
			[
				ballot.roundId,
				workshopId,
				ballot.voterKey,
				ballot.voterId,
				ballot.voterName,
				ballot.organisationId,
				ballot.organisation,
				JSON.stringify(ballot.positions),
				ballot.enteredBy,
				ballot.enteredByName,
				ballot.updatedAt
			]
		);
	}
	for (const score of records.scores) {
		counts.scores += await run(
			`INSERT INTO candidate_scores (workshop_id, candidate_id, user_id, criterion, score, entered_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (workshop_id, candidate_id, user_id, criterion) DO UPDATE SET
				score = excluded.score, entered_by = excluded.entered_by, updated_at = excluded.updated_at
			WHERE excluded.updated_at > candidate_scores.updated_at`,
			[
				workshopId,
				score.candidateId,
				score.userId,
				score.criterion,
				score.score,
				score.enteredBy,
				score.updatedAt
			]
		);
	}
	for (const placement of records.placements) {
		counts.placements += await run(
			`INSERT INTO ally_placements (workshop_id, ally_id, user_id, influence, interest, entered_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (workshop_id, ally_id, user_id) DO UPDATE SET
				influence = excluded.influence, interest = excluded.interest, entered_by = excluded.entered_by,
				updated_at = excluded.updated_at
			WHERE excluded.updated_at > ally_placements.updated_at`,
			[
				workshopId,
				placement.allyId,
				placement.userId,
				placement.influence,
				placement.interest,
				placement.enteredBy,
				placement.updatedAt
			]
		);
	}
	for (const contact of records.contacts) {
		counts.contacts += await run(
			`INSERT INTO ally_contacts (workshop_id, ally_id, text, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (workshop_id, ally_id) DO UPDATE SET
				text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at
			WHERE excluded.updated_at > ally_contacts.updated_at`,
			[workshopId, contact.allyId, contact.text, contact.updatedBy, contact.updatedAt]
		);
	}
	const versions = new Map(records.versions.map((version) => [version.eventUid, version]));
	for (const event of records.events) {
		const inserted = await client.query<{ id: number }>(
			`INSERT INTO workshop_events (workshop_id, uid, kind, user_id, user_name, reason, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
			[workshopId, event.uid, event.kind, event.userId, event.userName, event.reason, event.at]
		);
		if (!inserted.rows[0]) continue;
		counts.events += 1;
		const version = versions.get(event.uid);
		if (!version) continue;
		await client.query(
			`INSERT INTO doc_versions (workshop_id, event_id, charter_version, charter, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			[
				workshopId,
				inserted.rows[0].id,
				version.charterVersion,
				JSON.stringify(version.charter),
				version.state,
				version.createdAt
			]
		);
	}
	return counts;
}

function emptyCounts(): ImportCounts {
	return {
		workshop: 0,
		members: 0,
		organisations: 0,
		rounds: 0,
		ballots: 0,
		scores: 0,
		placements: 0,
		contacts: 0,
		events: 0
	};
}
