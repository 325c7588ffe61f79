import {
	monitorEventLoopDelay,
	type IntervalHistogram,
	type RecordableHistogram
} from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from './services';
import type { Realtime } from './realtime';

/** Process metrics for operators and the benchmarks; answered on loopback only. */
export class Metrics {
	readonly #loopDelay: IntervalHistogram;

	constructor() {
		this.#loopDelay = monitorEventLoopDelay({ resolution: 10 });
		this.#loopDelay.enable();
	}

	handle(services: Services, realtime: Realtime, req: IncomingMessage, res: ServerResponse): void {
		const remote = req.socket.remoteAddress ?? '';
		if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote)) {
			res.writeHead(404).end();
			return;
		}
		const { timings } = services.registry;
		const body = {
			eventLoopDelayMaxMs: this.#loopDelay.max / 1e6,
			eventLoopDelayP99Ms: this.#loopDelay.percentile(99) / 1e6,
			commitMs: summary(timings.commit),
			heldMs: summary(timings.held),
			documents: services.registry.size,
			yjsConnections: realtime.connections.size,
			rssBytes: process.memoryUsage.rss()
		};
		if (req.url?.includes('reset=1')) {
			this.#loopDelay.reset();
			timings.commit.reset();
			timings.held.reset();
		}
		res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
		res.end(JSON.stringify(body));
	}

	stop(): void {
		this.#loopDelay.disable();
	}
}

/** A histogram of microseconds as milliseconds (null before the first sample). */
function summary(
	histogram: RecordableHistogram
): { count: number; p50: number; p99: number; max: number } | null {
	if (histogram.count === 0) return null;
	return {
		count: histogram.count,
		p50: histogram.percentile(50) / 1000,
		p99: histogram.percentile(99) / 1000,
		max: histogram.max / 1000
	};
}
