/**
 * PostgreSQL implementation of the vote store (server/storage/sqlite-votes.ts): rounds and their
 * ballots live here only, never in the document. One ballot per (round, voice). State changes and
 * ballots are conditional on the round's state, and one open round per workshop is a unique
 * partial index (vote_rounds_one_open), so these hold across processes too.
 */
import type pg from 'pg';
import { isUniqueViolation } from './postgres-db';
import type { VoteStore } from '../../src/lib/server/ports/storage';
import { ballotFromRow, roundFromRow, type BallotRow, type RoundRow } from './rows';

/** The states a round moves into, each with its own time column and the state it must be in. */
const MOVES = {
	closed:
		"UPDATE vote_rounds SET state = 'closed', closed_at = $1 WHERE workshop_id = $2 AND id = $3 AND state = 'open'",
	revealed:
		"UPDATE vote_rounds SET state = 'revealed', revealed_at = $1 WHERE workshop_id = $2 AND id = $3 AND state = 'closed'"
} satisfies Record<'closed' | 'revealed', string>;

export function postgresVotes(pool: pg.Pool): VoteStore {
	return {
		async createRound(round) {
			try {
				await pool.query(
					`INSERT INTO vote_rounds (id, workshop_id, proposal_ids, mode, rule, anonymous, live, voice, state, opened_by, opened_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10)`,
					[
						round.id,
						round.workshopId,
						JSON.stringify(round.proposalIds),
						round.mode,
						JSON.stringify(round.rule),
						round.anonymous,
						round.live,
						round.voice,
						round.openedBy,
						round.openedAt
					]
				);
				return true;
			} catch (error) {
				// Another round of the workshop is open (maybe opened by another process a moment ago).
				if (isUniqueViolation(error) && isOneOpenRound(error)) return false;
				throw error;
			}
		},
		async getRound(workshopId, roundId) {
			const { rows } = await pool.query<RoundRow>(
				'SELECT * FROM vote_rounds WHERE workshop_id = $1 AND id = $2',
				[workshopId, roundId]
			);
			return rows[0] ? roundFromRow(rows[0]) : null;
		},
		async listRounds(workshopId) {
			const { rows } = await pool.query<RoundRow>(
				'SELECT * FROM vote_rounds WHERE workshop_id = $1 ORDER BY opened_at, id COLLATE "C"',
				[workshopId]
			);
			return rows.map(roundFromRow);
		},
		async moveRound(workshopId, roundId, to, at) {
			// Two moves at once: the second waits for the first, then finds the state changed.
			const moved = await pool.query(MOVES[to], [at, workshopId, roundId]);
			return moved.rowCount === 1;
		},
		async overrideRound(workshopId, roundId, entry) {
			const updated = await pool.query(
				`UPDATE vote_rounds SET override_reason = $1, override_by = $2, override_by_name = $3, override_at = $4
				WHERE workshop_id = $5 AND id = $6 AND state IN ('closed', 'revealed') AND override_reason IS NULL`,
				[entry.reason, entry.byId, entry.byName, entry.at, workshopId, roundId]
			);
			return updated.rowCount === 1;
		},
		async castBallot(ballot) {
			// The round's state is checked in the same statement, and FOR SHARE holds the round as
			// read until the ballot commits: a close waits for it, or the ballot sees the round
			// closed (SQLite's single writer gives this for free). No ballot lands in a closed round.
			const cast = await pool.query(
				`INSERT INTO vote_ballots (round_id, workshop_id, voter_key, voter_id, voter_name, organisation_id, organisation,
					positions, entered_by, entered_by_name, updated_at)
				SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
				WHERE EXISTS (
					SELECT 1 FROM vote_rounds WHERE id = $1 AND workshop_id = $2 AND state = 'open' FOR SHARE
				)
				ON CONFLICT (round_id, voter_key) DO UPDATE SET
					voter_id = excluded.voter_id, voter_name = excluded.voter_name,
					organisation_id = excluded.organisation_id, organisation = excluded.organisation,
					positions = excluded.positions, entered_by = excluded.entered_by,
					entered_by_name = excluded.entered_by_name, updated_at = excluded.updated_at`,
				[
					ballot.roundId,
					ballot.workshopId,
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
			return cast.rowCount === 1;
		},
		async listBallots(workshopId, roundId) {
			const { rows } = await pool.query<BallotRow>(
				'SELECT * FROM vote_ballots WHERE workshop_id = $1 AND round_id = $2 ORDER BY updated_at, voter_key COLLATE "C"',
				[workshopId, roundId]
			);
			return rows.map(ballotFromRow);
		},
		async getBallot(workshopId, roundId, voterKey) {
			const { rows } = await pool.query<BallotRow>(
				'SELECT * FROM vote_ballots WHERE workshop_id = $1 AND round_id = $2 AND voter_key = $3',
				[workshopId, roundId, voterKey]
			);
			return rows[0] ? ballotFromRow(rows[0]) : null;
		}
	};
}

/** The unique violation is the one-open-round index, not (say) a round id drawn twice. */
function isOneOpenRound(error: unknown): boolean {
	return (error as { constraint?: string }).constraint === 'vote_rounds_one_open';
}
