// Loaded inside each peer server's process by its launcher: the same event-loop delay measurement as
// our server's GET /metrics (monitorEventLoopDelay, 10 ms resolution), answered on its own loopback
// port (METRICS_PORT) so the peer's own HTTP handling stays untouched.
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const port = Number(process.env.METRICS_PORT);
if (port) {
	const server = http.createServer((req, res) => {
		const body = {
			eventLoopDelayMaxMs: loopDelay.max / 1e6,
			eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
			rssBytes: process.memoryUsage.rss()
		};
		if (req.url?.includes('reset=1')) loopDelay.reset();
		res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
		res.end(JSON.stringify(body));
	});
	server.listen(port, '127.0.0.1');
	server.unref();
}
