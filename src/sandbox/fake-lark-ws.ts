import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { decodeFrame, encodeFrame } from './ws-frame.ts';

/** What the gateway tells the client about pings and reconnects, in the endpoint reply and in every pong. */
export interface GatewayConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

/**
 * The long-connection side of the fake Lark, like Lark's gateway for WSClient: `ws` does the WebSocket protocol;
 * pushes events as protobuf data frames, answers pings with pongs, and collects the client's replies.
 */
export class FakeLarkWs {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private waiting = new Map<string, (reply: { code: number; data?: unknown }) => void>();
  private connectedListeners: (() => void)[] = [];
  /** While true the gateway answers nothing, pings included, but keeps the socket open: a half-dead connection. */
  mute = false;
  /** Connections accepted so far (a reconnect adds one). */
  accepted = 0;

  constructor(readonly config: GatewayConfig) {}

  attach(server: http.Server): void {
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/ws')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    this.accepted++;
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
    ws.on('message', (data) => this.onClientFrame(ws, Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[])));
    for (const l of this.connectedListeners.splice(0)) l();
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
    const socket = [...this.sockets].at(-1);
    if (!socket) return Promise.reject(new Error('no client connected'));
    const messageId = randomUUID();
    const frame = encodeFrame({
      seqId: 1,
      logId: 1,
      service: 1,
      method: 1,
      headers: { type: 'event', message_id: messageId, sum: '1', seq: '0', trace_id: randomUUID() },
      payload: Buffer.from(JSON.stringify(envelope)),
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply over the long connection')), timeoutMs);
      this.waiting.set(messageId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.send(frame);
    });
  }

  close(): void {
    for (const s of this.sockets) s.terminate();
    this.sockets.clear();
  }

  private onClientFrame(ws: WebSocket, buf: Buffer): void {
    if (this.mute) return;
    const frame = decodeFrame(buf);
    if (frame.method === 0 && frame.headers.type === 'ping') {
      const pong = encodeFrame({
        seqId: 0,
        logId: 0,
        service: frame.service,
        method: 0,
        headers: { type: 'pong' },
        payload: Buffer.from(JSON.stringify(this.config)),
      });
      ws.send(pong);
      return;
    }
    const resolve = this.waiting.get(frame.headers.message_id ?? '');
    if (!resolve || !frame.payload) return; // unsolicited frames
    this.waiting.delete(frame.headers.message_id!);
    const reply = JSON.parse(frame.payload.toString('utf8')) as { code: number; data?: string };
    resolve({
      code: reply.code,
      data: reply.data ? JSON.parse(Buffer.from(reply.data, 'base64').toString('utf8')) : undefined,
    });
  }
}
