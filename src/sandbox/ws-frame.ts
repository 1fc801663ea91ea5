/*
 * Just enough protobuf for Lark's long-connection `pbbp2.Frame` (fields: 1 SeqID, 2 LogID, 3 service, 4 method,
 * 5 headers{1 key, 2 value}, 6 payloadEncoding, 7 payloadType, 8 payload, 9 LogIDNew), so the fake Lark can
 * speak to the SDK's WSClient without depending on the SDK's internals.
 */
export interface Frame {
  seqId: number;
  logId: number;
  service: number;
  method: number; // 0 control, 1 data
  headers: Record<string, string>;
  payload?: Buffer;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

const field = (no: number, wire: number) => varint((no << 3) | wire);
const bytesField = (no: number, b: Buffer) => Buffer.concat([field(no, 2), varint(b.length), b]);

export function encodeFrame(f: Frame): Buffer {
  const parts = [field(1, 0), varint(f.seqId), field(2, 0), varint(f.logId), field(3, 0), varint(f.service), field(4, 0), varint(f.method)];
  for (const [k, v] of Object.entries(f.headers)) {
    parts.push(bytesField(5, Buffer.concat([bytesField(1, Buffer.from(k)), bytesField(2, Buffer.from(v))])));
  }
  if (f.payload) parts.push(bytesField(8, f.payload));
  return Buffer.concat(parts);
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [Number(result), pos];
    shift += 7n;
  }
}

function readFields(buf: Buffer, visit: (no: number, value: number | Buffer) => void): void {
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    const no = key >> 3;
    if ((key & 7) === 0) {
      const [v, p2] = readVarint(buf, p1);
      visit(no, v);
      pos = p2;
    } else {
      const [len, p2] = readVarint(buf, p1);
      visit(no, buf.subarray(p2, p2 + len));
      pos = p2 + len;
    }
  }
}

export function decodeFrame(buf: Buffer): Frame {
  const f: Frame = { seqId: 0, logId: 0, service: 0, method: 0, headers: {} };
  readFields(buf, (no, v) => {
    if (no === 1) f.seqId = v as number;
    else if (no === 2) f.logId = v as number;
    else if (no === 3) f.service = v as number;
    else if (no === 4) f.method = v as number;
    else if (no === 8) f.payload = Buffer.from(v as Buffer);
    else if (no === 5) {
      let key = '';
      let value = '';
      readFields(v as Buffer, (n, x) => (n === 1 ? (key = x.toString()) : (value = x.toString())));
      f.headers[key] = value;
    }
  });
  return f;
}
