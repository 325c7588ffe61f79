/**
 * SQLite side of merging an exported workshop: every row of the file in one transaction, recognised
 * by its random id (or natural key), so nothing is duplicated and merging the same file twice
 * changes nothing. Rows already here win, except where the file's is later by the rules' own order:
 * a round further along (open < closed < revealed), a ballot, score, placement or contact updated
 * later, the workshop's details changed later (src/lib/server/workshop-details.ts). Nothing is
 * deleted.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { WriteGate } from './sqlite-writer';
import type { ImportCounts, ImportRecords, ImportStore } from '../../src/lib/server/ports/storage';
import { organisationKey } from '../../src/lib/shared/schema';
import { takesFileDetails } from '../../src/lib/server/workshop-details';

const STATE_RANK = "CASE state WHEN 'open' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END";

export function sqliteImports(db: Database.Database, write: WriteGate): ImportStore {
	const statements = prepare(db);
	const merge = db.transaction((records: ImportRecords): ImportCounts => {
		const counts = emptyCounts();
		const workshopId = records.workshop.id;
		const s = statements;
		const w = records.workshop;
		const here = s.workshopStamp.get(workshopId);
		if (!here) {
			s.insertWorkshop.run(
				w.id,
				w.title,
				w.createdAt,
				w.ownerId,
				w.date,
				w.place,
				w.language,
				w.issue,
				w.detailsChangedAt
			);
			const links = records.links;
			s.insertLinks.run(workshopId, links.joinCode, links.inviteToken, links.observerToken);
			counts.workshop = 1;
		} else if (takesFileDetails(here.details_changed_at, w.detailsChangedAt)) {
			counts.workshop += s.updateDetails.run(
				w.title,
				w.date,
				w.place,
				w.language,
				w.issue,
				w.detailsChangedAt,
				workshopId
			).changes;
		}
		for (const user of records.users)
			s.insertGuest.run(user.id, `guest:${user.id}`, user.createdAt);
		if (records.importer) {
			const importer = records.importer;
			s.insertMember.run(
				workshopId,
				importer.userId,
				'facilitator',
				importer.name,
				null,
				importer.grantedBy,
				importer.joinedAt
			);
		}
		// An organisation of the same name already here (another id) is the same organisation.
		const organisationIds = new Map<string, string>();
		for (const organisation of records.organisations) {
			const existing = s.organisationByKey.get(workshopId, organisationKey(organisation.name));
			if (existing) {
				organisationIds.set(organisation.id, existing.id);
				continue;
			}
			// An id another workshop already uses (a forged or edited file): this one gets its own.
			const owner = s.organisationOwner.get(organisation.id);
			const id = owner && owner.workshop_id !== workshopId ? randomUUID() : organisation.id;
			s.insertOrganisation.run(
				id,
				workshopId,
				organisation.name,
				organisationKey(organisation.name),
				organisation.createdAt
			);
			organisationIds.set(organisation.id, id);
			counts.organisations += 1;
		}
		for (const member of records.members) {
			const organisationId =
				member.organisationId === null
					? null
					: (organisationIds.get(member.organisationId) ?? null);
			counts.members += s.insertMember.run(
				workshopId,
				member.userId,
				member.role,
				member.name,
				organisationId,
				member.grantedBy,
				member.joinedAt
			).changes;
		}
		for (const organisation of records.organisations) {
			if (organisation.delegateUserId === null) continue;
			s.setDelegate.run(
				organisation.delegateUserId,
				organisationIds.get(organisation.id),
				workshopId,
				organisation.delegateUserId,
				workshopId
			);
		}
		for (const round of records.rounds) {
			const row = {
				id: round.id,
				workshopId,
				proposalIds: JSON.stringify(round.proposalIds),
				mode: round.mode,
				rule: JSON.stringify(round.rule),
				anonymous: round.anonymous ? 1 : 0,
				live: round.live ? 1 : 0,
				voice: round.voice,
				state: round.state,
				openedBy: round.openedBy,
				openedAt: round.openedAt,
				closedAt: round.closedAt,
				revealedAt: round.revealedAt,
				rank: { open: 0, closed: 1, revealed: 2 }[round.state],
				overrideReason: round.override?.reason ?? null,
				overrideBy: round.override?.byId ?? null,
				overrideByName: round.override?.byName ?? null,
				overrideAt: round.override?.at ?? null
			};
			counts.rounds += s.insertRound.run(row).changes;
			counts.rounds += s.advanceRound.run(row).changes;
			if (row.overrideReason !== null) counts.rounds += s.overrideRound.run(row).changes;
		}
		for (const ballot of records.ballots) {
			counts.ballots += s.upsertBallot.run({
				...ballot,
				workshopId,
				positions: JSON.stringify(ballot.positions)
			}).changes;
		}
		for (const score of records.scores)
			counts.scores += s.upsertScore.run({ ...score, workshopId }).changes;
		for (const placement of records.placements) {
			counts.placements += s.upsertPlacement.run({ ...placement, workshopId }).changes;
		}
		for (const contact of records.contacts)
			counts.contacts += s.upsertContact.run({ ...contact, workshopId }).changes;
		const versions = new Map(records.versions.map((version) => [version.eventUid, version]));
		for (const event of records.events) {
			const inserted = s.insertEvent.run({ ...event, workshopId });
			if (inserted.changes === 0) continue;
			counts.events += 1;
			const version = versions.get(event.uid);
			if (!version) continue;
			s.insertVersion.run(
				workshopId,
				Number(inserted.lastInsertRowid),
				version.charterVersion,
				JSON.stringify(version.charter),
				version.state,
				version.createdAt
			);
		}
		return counts;
	});
	return {
		async merge(records) {
			return write(() => merge.immediate(records));
		}
	};
}

function prepare(db: Database.Database) {
	return {
		workshopStamp: db.prepare<[string], { details_changed_at: number | null }>(
			'SELECT details_changed_at FROM workshops WHERE id = ?'
		),
		insertWorkshop: db.prepare(
			`INSERT INTO workshops (id, title, created_at, owner_id, date, place, language, issue, details_changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
		),
		updateDetails: db.prepare(
			`UPDATE workshops SET title = ?, date = ?, place = ?, language = ?, issue = ?, details_changed_at = ?
			WHERE id = ?`
		),
		insertLinks: db.prepare(
			'INSERT INTO workshop_links (workshop_id, join_code, invite_token, observer_token) VALUES (?, ?, ?, ?)'
		),
		insertGuest: db.prepare(
			`INSERT OR IGNORE INTO users (id, login, password_hash, created_at, kind) VALUES (?, ?, '', ?, 'guest')`
		),
		organisationOwner: db.prepare<[string], { workshop_id: string }>(
			'SELECT workshop_id FROM organisations WHERE id = ?'
		),
		organisationByKey: db.prepare<[string, string], { id: string }>(
			'SELECT id FROM organisations WHERE workshop_id = ? AND name_key = ?'
		),
		insertOrganisation: db.prepare(
			'INSERT INTO organisations (id, workshop_id, name, name_key, created_at) VALUES (?, ?, ?, ?, ?)'
		),
		insertMember: db.prepare(
			`INSERT OR IGNORE INTO memberships (workshop_id, user_id, role, name, organisation_id, granted_by, joined_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`
		),
		// Only where none was designated here, and only a member of the workshop.
		setDelegate: db.prepare(
			`UPDATE organisations SET delegate_user_id = ? WHERE id = ? AND workshop_id = ? AND delegate_user_id IS NULL
			AND EXISTS (SELECT 1 FROM memberships WHERE user_id = ? AND workshop_id = ?)`
		),
		insertRound: db.prepare(
			`INSERT OR IGNORE INTO vote_rounds (id, workshop_id, proposal_ids, mode, rule, anonymous, live, voice, state,
				opened_by, opened_at, closed_at, revealed_at, override_reason, override_by, override_by_name, override_at)
			VALUES (@id, @workshopId, @proposalIds, @mode, @rule, @anonymous, @live, @voice, @state,
				@openedBy, @openedAt, @closedAt, @revealedAt, @overrideReason, @overrideBy, @overrideByName, @overrideAt)`
		),
		advanceRound: db.prepare(
			`UPDATE vote_rounds SET state = @state, closed_at = coalesce(closed_at, @closedAt),
				revealed_at = coalesce(revealed_at, @revealedAt)
			WHERE id = @id AND workshop_id = @workshopId AND ${STATE_RANK} < @rank`
		),
		overrideRound: db.prepare(
			`UPDATE vote_rounds SET override_reason = @overrideReason, override_by = @overrideBy,
				override_by_name = @overrideByName, override_at = @overrideAt
			WHERE id = @id AND workshop_id = @workshopId AND override_reason IS NULL`
		),
		upsertBallot: db.prepare(
			`INSERT INTO vote_ballots (round_id, workshop_id, voter_key, voter_id, voter_name, organisation_id, organisation,
				positions, entered_by, entered_by_name, updated_at)
			SELECT @roundId, @workshopId, @voterKey, @voterId, @voterName, @organisationId, @organisation,
				@positions, @enteredBy, @enteredByName, @updatedAt
			WHERE EXISTS (SELECT 1 FROM vote_rounds WHERE id = @roundId AND workshop_id = @workshopId)
			ON CONFLICT (round_id, voter_key) DO UPDATE SET
				voter_id = excluded.voter_id, voter_name = excluded.voter_name,
				organisation_id = excluded.organisation_id, organisation = excluded.organisation,
				positions = excluded.positions, entered_by = excluded.entered_by,
				entered_by_name = excluded.entered_by_name, updated_at = excluded.updated_at
			WHERE excluded.updated_at > vote_ballots.updated_at`
		),
		upsertScore: db.prepare(
			`INSERT INTO candidate_scores (workshop_id, candidate_id, user_id, criterion, score, entered_by, updated_at)
			VALUES (@workshopId, @candidateId, @userId, @criterion, @score, @enteredBy, @updatedAt)
			ON CONFLICT (workshop_id, candidate_id, user_id, criterion) DO UPDATE SET
				score = excluded.score, entered_by = excluded.entered_by, updated_at = excluded.updated_at
			WHERE excluded.updated_at > candidate_scores.updated_at`
		),
		upsertPlacement: db.prepare(
			`INSERT INTO ally_placements (workshop_id, ally_id, user_id, influence, interest, entered_by, updated_at)
			VALUES (@workshopId, @allyId, @userId, @influence, @interest, @enteredBy, @updatedAt)
			ON CONFLICT (workshop_id, ally_id, user_id) DO UPDATE SET
				influence = excluded.influence, interest = excluded.interest, entered_by = excluded.entered_by,
				updated_at = excluded.updated_at
			WHERE excluded.updated_at > ally_placements.updated_at`
		),
		upsertContact: db.prepare(
			`INSERT INTO ally_contacts (workshop_id, ally_id, text, updated_by, updated_at)
			VALUES (@workshopId, @allyId, @text, @updatedBy, @updatedAt)
			ON CONFLICT (workshop_id, ally_id) DO UPDATE SET
				text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at
			WHERE excluded.updated_at > ally_contacts.updated_at`
		),
		insertEvent: db.prepare(
			`INSERT OR IGNORE INTO workshop_events (workshop_id, uid, kind, user_id, user_name, reason, at)
			VALUES (@workshopId, @uid, @kind, @userId, @userName, @reason, @at)`
		),
		insertVersion: db.prepare(
			'INSERT INTO doc_versions (workshop_id, event_id, charter_version, charter, state, created_at) VALUES (?, ?, ?, ?, ?, ?)'
		)
	};
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
