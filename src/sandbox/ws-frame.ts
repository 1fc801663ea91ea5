import protobuf from 'protobufjs';

/*
 * Lark's long-connection frame (`pbbp2.Frame`), described to protobufjs field by field as the SDK's generated code
 * has it, so the fake gateway speaks to WSClient without depending on the SDK's internals.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Frame: {
          fields: {
            SeqID: { type: 'uint64', id: 1 },
            LogID: { type: 'uint64', id: 2 },
            service: { type: 'int32', id: 3 },
            method: { type: 'int32', id: 4 },
            headers: { rule: 'repeated', type: 'Header', id: 5 },
            payloadEncoding: { type: 'string', id: 6 },
            payloadType: { type: 'string', id: 7 },
            payload: { type: 'bytes', id: 8 },
            LogIDNew: { type: 'string', id: 9 },
          },
        },
      },
    },
  },
});
const FrameType = root.lookupType('pbbp2.Frame');

export interface Frame {
  seqId: number;
  logId: number;
  service: number;
  method: number; // 0 control, 1 data
  headers: Record<string, string>;
  payload?: Buffer;
}

export function encodeFrame(f: Frame): Buffer {
  const message = FrameType.create({
    SeqID: f.seqId,
    LogID: f.logId,
    service: f.service,
    method: f.method,
    headers: Object.entries(f.headers).map(([key, value]) => ({ key, value })),
    ...(f.payload ? { payload: f.payload } : {}),
  });
  return Buffer.from(FrameType.encode(message).finish());
}

export function decodeFrame(buf: Buffer): Frame {
  const m = FrameType.toObject(FrameType.decode(buf), { longs: Number, bytes: Buffer }) as {
    SeqID?: number;
    LogID?: number;
    service?: number;
    method?: number;
    headers?: { key: string; value: string }[];
    payload?: Buffer;
  };
  return {
    seqId: m.SeqID ?? 0,
    logId: m.LogID ?? 0,
    service: m.service ?? 0,
    method: m.method ?? 0,
    headers: Object.fromEntries((m.headers ?? []).map((h) => [h.key, h.value])),
    ...(m.payload && m.payload.length ? { payload: Buffer.from(m.payload) } : {}),
  };
}
