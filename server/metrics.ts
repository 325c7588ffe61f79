import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
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
		const body = {
			eventLoopDelayMaxMs: this.#loopDelay.max / 1e6,
			eventLoopDelayP99Ms: this.#loopDelay.percentile(99) / 1e6,
			documents: services.registry.size,
			yjsConnections: realtime.connections.size,
			rssBytes: process.memoryUsage.rss()
		};
		if (req.url?.includes('reset=1')) this.#loopDelay.reset();
		res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
		res.end(JSON.stringify(body));
	}

	stop(): void {
		this.#loopDelay.disable();
	}
}
