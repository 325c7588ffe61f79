/** Encoders for the server's outgoing y-websocket messages. */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MessageType, SyncType } from '../../src/lib/shared/protocol';

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
	return encodeSync(SyncType.step1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
	return encodeSync(SyncType.step2, update);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
	return encodeSync(SyncType.update, update);
}

export function encodeCommitted(count: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.committed);
	encoding.writeVarUint(encoder, count);
	return encoding.toUint8Array(encoder);
}

export function encodeAwareness(
	awareness: awarenessProtocol.Awareness,
	clients: number[]
): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.awareness);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	return encoding.toUint8Array(encoder);
}

function encodeSync(type: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	encoding.writeVarUint(encoder, type);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}
