export interface ServerSentEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface EventStreamClient {
  status: number;
  headers: Headers;
  events: ServerSentEvent[];
  /** Comment lines received (heartbeats). */
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Follows a Server-Sent Events endpoint over a real HTTP connection, as curl or EventSource would. */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const client: EventStreamClient = { status: response.status, headers: response.headers, events: [], comments: [], ended: Promise.resolve(), close: () => abort.abort() };
  if (!response.ok || !response.body) return client;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  client.ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          parseBlock(buffer.slice(0, boundary), client);
          buffer = buffer.slice(boundary + 2);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return client;
}

function parseBlock(block: string, client: EventStreamClient): void {
  const event: ServerSentEvent = { data: '' };
  let hasData = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) event.id = line.slice(4);
    else if (line.startsWith('event: ')) event.event = line.slice(7);
    else if (line.startsWith('data: ')) {
      event.data += (hasData ? '\n' : '') + line.slice(6);
      hasData = true;
    }
  }
  if (hasData) client.events.push(event);
}
