/** The countdown's clock maths: offset from one round trip, time left, and its display. */
import { describe, expect, it } from 'vitest';
import {
	estimateClockOffset,
	formatRemaining,
	isCountdownDuration,
	remainingMs
} from '../../src/lib/shared/countdown';

describe('estimateClockOffset', () => {
	it('takes the server clock as read half-way through the round trip', () => {
		expect(estimateClockOffset({ sentAt: 1000, receivedAt: 1100, serverTime: 1050 })).toBe(0);
		expect(estimateClockOffset({ sentAt: 1000, receivedAt: 1200, serverTime: 5100 })).toBe(4000);
	});

	it('finds a phone 5 minutes fast or slow', () => {
		const server = 1_800_000_000_000;
		const fast = 5 * 60_000;
		expect(
			estimateClockOffset({
				sentAt: server + fast - 40,
				receivedAt: server + fast + 40,
				serverTime: server
			})
		).toBe(-fast);
		expect(
			estimateClockOffset({
				sentAt: server - fast - 40,
				receivedAt: server - fast + 40,
				serverTime: server
			})
		).toBe(fast);
	});

	it('is off by at most half the round trip, whenever the server read its clock', () => {
		for (const readAt of [0, 0.25, 0.5, 1]) {
			const sentAt = 10_000;
			const receivedAt = 10_800;
			const trueOffset = 123_456;
			const serverTime = sentAt + (receivedAt - sentAt) * readAt + trueOffset;
			const error = Math.abs(estimateClockOffset({ sentAt, receivedAt, serverTime }) - trueOffset);
			expect(error).toBeLessThanOrEqual((receivedAt - sentAt) / 2);
		}
	});
});

describe('remainingMs', () => {
	const countdown = { durationMs: 300_000, startedAt: 1_000_000 };

	it('counts down from the server start time', () => {
		expect(remainingMs(countdown, 1_000_000)).toBe(300_000);
		expect(remainingMs(countdown, 1_060_000)).toBe(240_000);
	});

	it('shows the same time on a phone whose clock is 5 minutes wrong once corrected by its offset', () => {
		const serverNow = 1_090_000;
		const phoneClock = serverNow + 5 * 60_000;
		const offset = estimateClockOffset({
			sentAt: phoneClock - 30,
			receivedAt: phoneClock + 30,
			serverTime: serverNow
		});
		expect(remainingMs(countdown, phoneClock + offset)).toBe(remainingMs(countdown, serverNow));
		// Without the correction it would show the countdown as finished.
		expect(remainingMs(countdown, phoneClock)).toBe(0);
	});

	it('never goes below zero, nor above the duration (a clock a little behind the start)', () => {
		expect(remainingMs(countdown, 2_000_000)).toBe(0);
		expect(remainingMs(countdown, 999_000)).toBe(300_000);
	});
});

describe('formatRemaining', () => {
	it('shows minutes and seconds, rounding up', () => {
		expect(formatRemaining(300_000)).toBe('5:00');
		expect(formatRemaining(61_001)).toBe('1:02');
		expect(formatRemaining(999)).toBe('0:01');
		expect(formatRemaining(0)).toBe('0:00');
		expect(formatRemaining(3_723_000)).toBe('1:02:03');
	});
});

describe('isCountdownDuration', () => {
	it('accepts whole milliseconds from 1 s to 4 h', () => {
		expect([1000, 60_000, 4 * 3600_000].every(isCountdownDuration)).toBe(true);
		expect(
			[999, 0, -1, 1.5, 4 * 3600_000 + 1, '60000', null, Number.NaN].some(isCountdownDuration)
		).toBe(false);
	});
});
