// The reference y-websocket server (@y/websocket-server 0.1.1) exactly as its bin runs it: HOST and PORT
// from the environment, documents in memory only (no YPERSISTENCE), default GC and callbacks (none).
// The only addition is the event-loop delay probe of ./metrics.js, in the same process.
import './metrics.js';
import '../node_modules/@y/websocket-server/src/server.js';
