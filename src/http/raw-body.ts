import type { Context, Next } from 'koa';
import { AppError } from '../shared/errors.ts';

export const BODY_LIMIT_BYTES = 1024 * 1024;

declare module 'koa' {
  interface DefaultState {
    /** Exact bytes received: signatures are computed over these, never over re-serialised JSON. */
    rawBody?: Buffer;
  }
  interface Request {
    body?: unknown;
  }
}

/**
 * Reads request bodies into memory up to a limit, keeping the raw bytes and parsing JSON.
 * Hand-written because it is a few lines and intake needs both the raw bytes and a hard 413 before buffering more.
 */
export function rawBody(limit = BODY_LIMIT_BYTES) {
  return async (ctx: Context, next: Next) => {
    if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) return next();
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limit) throw new AppError('payload_too_large', `请求体超过 ${limit} 字节上限`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        ctx.req.destroy();
        throw new AppError('payload_too_large', `请求体超过 ${limit} 字节上限`);
      }
      chunks.push(chunk);
    }
    const buf = Buffer.concat(chunks);
    ctx.state.rawBody = buf;
    if (ctx.is('application/json') || (buf.length > 0 && !ctx.get('content-type'))) {
      try {
        ctx.request.body = buf.length ? JSON.parse(buf.toString('utf8')) : {};
      } catch {
        throw new AppError('bad_request', '请求体不是合法的 JSON');
      }
    }
    return next();
  };
}
