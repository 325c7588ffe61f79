/**
 * The facilitator's countdown: the server writes `{ durationMs, startedAt }` (its own clock) into
 * the `facilitation` root; each client computes what remains from the server's clock as it
 * estimates it (its own clock plus the offset measured with `time:sync`), so a phone whose clock is
 * minutes wrong still shows the projector's time.
 */
import type * as Y from 'yjs';

export interface Countdown {
	durationMs: number;
	/** Server time (ms since the epoch) at which it started. */
	startedAt: number;
}

export const COUNTDOWN_MIN_MS = 1000;
/** Four hours: longer than any session of a forum. */
export const COUNTDOWN_MAX_MS = 4 * 60 * 60 * 1000;

export function isCountdownDuration(value: unknown): value is number {
	return (
		Number.isInteger(value) &&
		(value as number) >= COUNTDOWN_MIN_MS &&
		(value as number) <= COUNTDOWN_MAX_MS
	);
}

/** The running (or finished) countdown in the document, or null when none is set. */
export function readCountdown(doc: Y.Doc): Countdown | null {
	const value = doc.getMap('facilitation').get('countdown') as
		Partial<Countdown> | null | undefined;
	if (!value || typeof value !== 'object') return null;
	const { durationMs, startedAt } = value;
	if (typeof durationMs !== 'number' || typeof startedAt !== 'number') return null;
	return { durationMs, startedAt };
}

/** Milliseconds left at server time `serverNow`: never negative, never more than the duration. */
export function remainingMs(countdown: Countdown, serverNow: number): number {
	const left = countdown.startedAt + countdown.durationMs - serverNow;
	return Math.min(countdown.durationMs, Math.max(0, left));
}

/**
 * serverTime - localTime, from one `time:sync` round trip: the server read its clock somewhere
 * between sending and receiving, half-way is the best guess (the error is at most half the trip).
 */
export function estimateClockOffset(sample: {
	sentAt: number;
	receivedAt: number;
	serverTime: number;
}): number {
	return sample.serverTime - (sample.sentAt + sample.receivedAt) / 2;
}

/** `m:ss` (or `h:mm:ss`), rounding up so "0:00" shows only once time is really up. */
export function formatRemaining(ms: number): string {
	const total = Math.ceil(ms / 1000);
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = String(total % 60).padStart(2, '0');
	return hours > 0
		? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
		: `${minutes}:${seconds}`;
}
