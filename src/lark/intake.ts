import type Router from '@koa/router';
import type { AppDeps } from '../app-deps.ts';
import type { Dispatcher } from '../bot/dispatcher.ts';
import { authenticate } from './authenticate.ts';
import { envelopeSchema, normaliseEvent } from './events.ts';

/**
 * POST /lark/events: events and card callbacks alike. Thin and strict: authenticate, answer the challenge,
 * normalise, hand to the dispatcher (which dedupes and handles in one transaction), answer within Lark's 3 s.
 */
export function registerLarkIntake(router: Router, deps: AppDeps, dispatcher: Dispatcher): void {
  router.post('/lark/events', async (ctx) => {
    const log = ctx.state.log;
    const verdict = authenticate(
      { rawBody: ctx.state.rawBody ?? Buffer.alloc(0), body: ctx.request.body, headers: ctx.headers },
      {
        encryptKey: deps.config.lark.encryptKey,
        verificationToken: deps.config.lark.verificationToken,
        replayWindowS: deps.config.lark.replayWindowS,
      },
      // Wall-clock time, not the injected domain clock: the timestamp is a fact about the network request.
      Date.now(),
    );
    if (!verdict.ok) {
      deps.metrics.larkEvents.inc({ outcome: 'refused' });
      log.warn(
        { check: verdict.check, setting: verdict.setting },
        `lark request refused: ${verdict.check} (check ${verdict.setting})`,
      );
      ctx.status = verdict.status;
      ctx.body = {
        error: {
          code: verdict.status === 401 ? 'unauthorized' : 'bad_request',
          message: verdict.status === 401 ? '请求未通过验证' : '请求格式错误',
        },
      };
      return;
    }
    const payload = verdict.payload;
    if (payload.type === 'url_verification') {
      ctx.body = { challenge: payload.challenge };
      return;
    }
    const envelope = envelopeSchema.safeParse(payload);
    if (!envelope.success) {
      deps.metrics.larkEvents.inc({ outcome: 'invalid' });
      log.warn({ issues: envelope.error.issues.slice(0, 5) }, 'lark request refused: not a schema 2.0 event');
      ctx.status = 400;
      ctx.body = { error: { code: 'bad_request', message: '不支持的事件格式' } };
      return;
    }
    const event = normaliseEvent(envelope.data);
    if ('invalid' in event) {
      deps.metrics.larkEvents.inc({ outcome: 'invalid' });
      log.warn({ reason: event.invalid }, 'lark event has an unexpected shape');
      ctx.status = 400;
      ctx.body = { error: { code: 'bad_request', message: '事件内容不完整' } };
      return;
    }
    ctx.body = await dispatcher.handle(event, log);
  });
}
