/**
 * SQLite implementation of the vote store: rounds and their ballots live here only, never in the
 * document (which gets results once revealed). One ballot per (round, voice): a changed vote
 * replaces the earlier one. State changes and ballots are conditional on the round's state, so a
 * vote can never land in a closed round and a round moves open -> closed -> revealed only.
 */
import type { WriteGate } from './sqlite-writer';
import type Database from 'better-sqlite3';
import type { VoteStore } from '../../src/lib/server/ports/storage';
import { ballotFromRow, roundFromRow, type BallotRow, type RoundRow } from './rows';

/** The states a round moves into, each with its own time column. */
type MoveTarget = 'closed' | 'revealed';

export function sqliteVotes(db: Database.Database, write: WriteGate): VoteStore {
	const insertRound = db.prepare(
		`INSERT INTO vote_rounds (id, workshop_id, proposal_ids, mode, rule, anonymous, live, voice, state, opened_by, opened_at)
		VALUES (@id, @workshopId, @proposalIds, @mode, @rule, @anonymous, @live, @voice, 'open', @openedBy, @openedAt)`
	);
	const selectRound = db.prepare<[string, string], RoundRow>(
		'SELECT * FROM vote_rounds WHERE workshop_id = ? AND id = ?'
	);
	const selectRounds = db.prepare<[string], RoundRow>(
		'SELECT * FROM vote_rounds WHERE workshop_id = ? ORDER BY opened_at, id'
	);
	const moves = {
		closed: db.prepare<[number, string, string]>(
			"UPDATE vote_rounds SET state = 'closed', closed_at = ? WHERE workshop_id = ? AND id = ? AND state = 'open'"
		),
		revealed: db.prepare<[number, string, string]>(
			"UPDATE vote_rounds SET state = 'revealed', revealed_at = ? WHERE workshop_id = ? AND id = ? AND state = 'closed'"
		)
	} satisfies Record<MoveTarget, unknown>;
	const override = db.prepare<[string, string, string, number, string, string]>(
		`UPDATE vote_rounds SET override_reason = ?, override_by = ?, override_by_name = ?, override_at = ?
		WHERE workshop_id = ? AND id = ? AND state IN ('closed', 'revealed') AND override_reason IS NULL`
	);
	// The round's state is checked in the same statement: no ballot can land in a closed round.
	const upsertBallot = db.prepare(
		`INSERT INTO vote_ballots (round_id, workshop_id, voter_key, voter_id, voter_name, organisation_id, organisation,
			positions, entered_by, entered_by_name, updated_at)
		SELECT @roundId, @workshopId, @voterKey, @voterId, @voterName, @organisationId, @organisation,
			@positions, @enteredBy, @enteredByName, @updatedAt
		WHERE EXISTS (SELECT 1 FROM vote_rounds WHERE id = @roundId AND workshop_id = @workshopId AND state = 'open')
		ON CONFLICT (round_id, voter_key) DO UPDATE SET
			voter_id = excluded.voter_id, voter_name = excluded.voter_name,
			organisation_id = excluded.organisation_id, organisation = excluded.organisation,
			positions = excluded.positions, entered_by = excluded.entered_by,
			entered_by_name = excluded.entered_by_name, updated_at = excluded.updated_at`
	);
	const selectBallots = db.prepare<[string, string], BallotRow>(
		'SELECT * FROM vote_ballots WHERE workshop_id = ? AND round_id = ? ORDER BY updated_at, voter_key'
	);
	const selectBallot = db.prepare<[string, string, string], BallotRow>(
		'SELECT * FROM vote_ballots WHERE workshop_id = ? AND round_id = ? AND voter_key = ?'
	);

	return {
		async createRound(round) {
			return write(() => {
				try {
					insertRound.run({
						id: round.id,
						workshopId: round.workshopId,
						proposalIds: JSON.stringify(round.proposalIds),
						mode: round.mode,
						rule: JSON.stringify(round.rule),
						anonymous: round.anonymous ? 1 : 0,
						live: round.live ? 1 : 0,
						voice: round.voice,
						openedBy: round.openedBy,
						openedAt: round.openedAt
					});
					return true;
				} catch (error) {
					// The one-open-round index (vote_rounds_one_open) refused it: another round is open.
					if (isOneOpenRound(error)) return false;
					throw error;
				}
			});
		},
		async getRound(workshopId, roundId) {
			const row = selectRound.get(workshopId, roundId);
			return row ? roundFromRow(row) : null;
		},
		async listRounds(workshopId) {
			return selectRounds.all(workshopId).map(roundFromRow);
		},
		async moveRound(workshopId, roundId, to, at) {
			return write(() => {
				return moves[to].run(at, workshopId, roundId).changes === 1;
			});
		},
		async overrideRound(workshopId, roundId, entry) {
			return write(() => {
				return (
					override.run(entry.reason, entry.byId, entry.byName, entry.at, workshopId, roundId)
						.changes === 1
				);
			});
		},
		async castBallot(ballot) {
			return write(() => {
				return (
					upsertBallot.run({
						...ballot,
						positions: JSON.stringify(ballot.positions)
					}).changes === 1
				);
			});
		},
		async listBallots(workshopId, roundId) {
			return selectBallots.all(workshopId, roundId).map(ballotFromRow);
		},
		async getBallot(workshopId, roundId, voterKey) {
			const row = selectBallot.get(workshopId, roundId, voterKey);
			return row ? ballotFromRow(row) : null;
		}
	};
}

/** SQLite names the index's column, not the index: `UNIQUE constraint failed: vote_rounds.workshop_id`. */
function isOneOpenRound(error: unknown): boolean {
	const { code, message } = error as { code?: string; message?: string };
	return code === 'SQLITE_CONSTRAINT_UNIQUE' && (message ?? '').includes('vote_rounds.workshop_id');
}
