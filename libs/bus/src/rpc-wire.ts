/**
 * The reply packets of our RPC, in the NestJS Redis transport's wire format (`{ id, response, err,
 * isDisposed }` as JSON) with one liberty Nest's own client does not mind: the key order. A successful
 * reply is written `{"id":…,"isDisposed":true,"response":…}`, so a caller that only forwards the result
 * (the gateway answering HTTP) can find the id and slice the response out of the text without parsing and
 * re-encoding it. Errors keep Nest's usual shape.
 */

/** A handler result that is already JSON text (built by Postgres, say): sent as it is, not encoded again. */
export class RawJson {
  constructor(readonly json: string) {}

  /** Should anything encode it the ordinary way after all, it stays the value it stands for. */
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

interface OutgoingPacket {
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

export function encodeReply(id: string, packet: OutgoingPacket): string {
  if (packet.err === undefined || packet.err === null) {
    const { response, isDisposed } = packet;
    const json = response instanceof RawJson ? response.json : JSON.stringify(response);
    if (isDisposed && json !== undefined) return `{"id":${JSON.stringify(id)},"isDisposed":true,"response":${json}}`;
  }
  return JSON.stringify({ ...packet, id });
}

const FORWARDABLE_REPLY = /^\{"id":"([^"\\]+)","isDisposed":true,"response":/;

/** The id and the response's JSON text of a successful reply written by encodeReply; undefined for any other packet. */
export function forwardableReply(text: string): { id: string; json: string } | undefined {
  const match = FORWARDABLE_REPLY.exec(text);
  return match ? { id: match[1], json: text.slice(match[0].length, -1) } : undefined;
}
