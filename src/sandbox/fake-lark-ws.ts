import { createHash, randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeFrame, encodeFrame } from './ws-frame';

/**
 * The long-connection side of the fake Lark: a minimal WebSocket server (RFC 6455 framing, no extensions) that
 * pushes events as data frames and collects the client's replies, like Lark's gateway does for WSClient.
 */
export class FakeLarkWs {
  private sockets = new Set<Duplex>();
  private waiting = new Map<string, (reply: { code: number; data?: unknown }) => void>();
  private connectedListeners: (() => void)[] = [];

  attach(server: http.Server): void {
    server.on('upgrade', (req, socket) => {
      if (!req.url?.startsWith('/ws')) return socket.destroy();
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => this.sockets.delete(socket));
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        for (let parsed = readWsFrame(pending); parsed; parsed = readWsFrame(pending)) {
          pending = pending.subarray(parsed.consumed);
          if (parsed.opcode === 0x8) socket.end(wsFrame(0x8, Buffer.alloc(0)));
          else if (parsed.opcode === 0x9) socket.write(wsFrame(0xa, parsed.payload));
          else if (parsed.opcode === 0x2) this.onClientFrame(parsed.payload);
        }
      });
      for (const l of this.connectedListeners.splice(0)) l();
    });
  }

  get connected(): number {
    return this.sockets.size;
  }

  waitForConnection(timeoutMs = 10_000): Promise<void> {
    if (this.sockets.size) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no long connection within the timeout')), timeoutMs);
      this.connectedListeners.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Pushes one event envelope and resolves with what the client answered (the callback response for cards). */
  push(envelope: unknown, timeoutMs = 5000): Promise<{ code: number; data?: unknown }> {
    const socket = [...this.sockets][0];
    if (!socket) return Promise.reject(new Error('no client connected'));
    const messageId = randomUUID();
    const frame = encodeFrame({
      seqId: 1, logId: 1, service: 1, method: 1,
      headers: { type: 'event', message_id: messageId, sum: '1', seq: '0', trace_id: randomUUID() },
      payload: Buffer.from(JSON.stringify(envelope)),
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply over the long connection')), timeoutMs);
      this.waiting.set(messageId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.write(wsFrame(0x2, frame));
    });
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private onClientFrame(buf: Buffer): void {
    const frame = decodeFrame(buf);
    const resolve = this.waiting.get(frame.headers.message_id ?? '');
    if (!resolve || !frame.payload) return; // pings and unsolicited frames
    this.waiting.delete(frame.headers.message_id!);
    const reply = JSON.parse(frame.payload.toString('utf8')) as { code: number; data?: string };
    resolve({ code: reply.code, data: reply.data ? JSON.parse(Buffer.from(reply.data, 'base64').toString('utf8')) : undefined });
  }
}

function wsFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLen(len)]);
  return Buffer.concat([head, payload]);
}

function bigLen(len: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(len));
  return b;
}

function readWsFrame(buf: Buffer): { opcode: number; payload: Buffer; consumed: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let pos = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    pos = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    pos = 10;
  }
  const maskKey = masked ? buf.subarray(pos, pos + 4) : undefined;
  if (masked) pos += 4;
  if (buf.length < pos + len) return undefined;
  const payload = Buffer.from(buf.subarray(pos, pos + len));
  if (maskKey) for (let i = 0; i < payload.length; i++) payload[i]! ^= maskKey[i % 4]!;
  return { opcode, payload, consumed: pos + len };
}
