// A thin Hocuspocus protocol client for the benchmark, written from @hocuspocus/provider 3.4.4 and
// @hocuspocus/server 3.4.4 (their MessageReceiver / ClientConnection): every message starts with the
// document name (varString), then a message type (varUint): 0 sync (y-protocols sync inside),
// 2 auth, 8 sync status. The server waits for an auth message (token) before it loads the document;
// it answers each sync step 2 / update it applied with a sync status message — the acknowledgement
// behind the provider's `unsyncedChanges` / `hasUnsyncedChanges` — and relays updates to every
// connection of the document, the sender included.
// Same interface as load.js's ThinClient: senders make their edits in a small Y.Doc of their own;
// receivers never build a Y.Doc, they find the `~e<id>~` markers in the bytes.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { scanMarkers, markerFor } from './markers.js';

const SYNC = 0;
const AUTH = 2;
const SYNC_STATUS = 8;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const AUTH_TOKEN = 0;
const AUTH_PERMISSION_DENIED = 1;

export class HocuspocusThinClient {
	/** `url`: the server's http(s) base URL; `room`: the document name. */
	constructor(url, room) {
		this.room = room;
		this.doc = new Y.Doc();
		this.map = this.doc.getMap('bench');
		this.onEdit = () => {};
		this.onBytes = () => {};
		this.onAck = () => {};
		// One entry per message the server will answer with a sync status: our sync step 2 (null),
		// then each edit's id.
		this.awaitingStatus = [];
		this.statusHead = 0;
		this.ws = new WebSocket(url.replace(/^http/, 'ws'));
		this.ws.binaryType = 'nodebuffer';
		this.ws.on('error', () => {}); // a killed server resets the socket; `ready` reports failures
		this.ready = new Promise((resolve, reject) => {
			this.ws.once('error', reject);
			this.ws.once('close', () => reject(new Error('closed before sync')));
			this.ws.on('message', (data) => {
				const at = performance.now();
				this.onBytes(data.length);
				const decoder = decoding.createDecoder(data);
				decoding.readVarString(decoder); // document name: one document per connection here
				const type = decoding.readVarUint(decoder);
				if (type === SYNC_STATUS) {
					const applied = decoding.readVarUint(decoder) === 1;
					const id = this.awaitingStatus[this.statusHead++];
					if (this.statusHead > 1024) {
						this.awaitingStatus = this.awaitingStatus.slice(this.statusHead);
						this.statusHead = 0;
					}
					if (applied && id !== null && id !== undefined) this.onAck(id);
					return;
				}
				if (type === AUTH) {
					if (decoding.readVarUint(decoder) === AUTH_PERMISSION_DENIED)
						reject(new Error('permission denied'));
					return;
				}
				if (type !== SYNC) return;
				const sub = decoding.readVarUint(decoder);
				if (sub === STEP1) {
					// Answer the server's state vector with an empty step 2: we hold nothing yet. The server
					// acknowledges it with a sync status like any update.
					this.awaitingStatus.push(null);
					this.#send(this.#sync(STEP2, Y.encodeStateAsUpdate(new Y.Doc())));
					return;
				}
				if (sub === STEP2) resolve();
				scanMarkers(data, (id) => this.onEdit(id, at));
			});
			this.ws.once('open', () => {
				const auth = this.#header(AUTH);
				encoding.writeVarUint(auth, AUTH_TOKEN);
				encoding.writeVarString(auth, '');
				this.#send(encoding.toUint8Array(auth));
				this.#send(this.#sync(STEP1, Y.encodeStateVector(this.doc)));
			});
		});
	}

	/** Sends one edit; returns the bytes put on the wire. */
	edit(id) {
		let update = null;
		const capture = (u) => (update = u);
		this.doc.on('update', capture);
		this.map.set(`k${id}`, markerFor(id));
		this.doc.off('update', capture);
		const message = this.#sync(UPDATE, update);
		this.awaitingStatus.push(id);
		this.#send(message);
		return message.length;
	}

	close() {
		this.ws.terminate();
	}

	#header(type) {
		const encoder = encoding.createEncoder();
		encoding.writeVarString(encoder, this.room);
		encoding.writeVarUint(encoder, type);
		return encoder;
	}

	#sync(sub, payload) {
		const encoder = this.#header(SYNC);
		encoding.writeVarUint(encoder, sub);
		encoding.writeVarUint8Array(encoder, payload);
		return encoding.toUint8Array(encoder);
	}

	#send(message) {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
	}
}
