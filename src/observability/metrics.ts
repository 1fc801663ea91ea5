import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per service instance (not prom-client's global one), so tests can build many apps in a process.
 * Gauges that reflect database state are filled by collectors registered by their feature.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'jixiao_' });
  const httpDuration = new Histogram({
    name: 'jixiao_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers: [registry],
  });
  const larkEvents = new Counter({
    name: 'jixiao_lark_events_total',
    help: 'Lark events and callbacks received, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const outboxSent = new Counter({
    name: 'jixiao_outbox_sent_total',
    help: 'Outbox rows sent',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const outboxRetried = new Counter({
    name: 'jixiao_outbox_retried_total',
    help: 'Outbox send attempts that will be retried',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const outboxDead = new Counter({
    name: 'jixiao_outbox_dead_total',
    help: 'Outbox rows moved to dead letter',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Summed over instances it must be 1: 0 means nobody sends (alert), 2 cannot happen while clocks agree.
  const outboxSender = new Gauge({
    name: 'jixiao_outbox_sender',
    help: '1 while this instance holds the sender lease and sends to Lark',
    registers: [registry],
  });
  return { registry, httpDuration, larkEvents, outboxSent, outboxRetried, outboxDead, outboxSender };
}

export type Metrics = ReturnType<typeof createMetrics>;
