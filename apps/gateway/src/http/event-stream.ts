import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // nginx would otherwise buffer the stream.
  'x-accel-buffering': 'no',
};

/**
 * Starts a Server-Sent Events answer on Node's own response, taken over from Fastify: sent at once, with the
 * reconnection delay. The gateway's hooks set their headers (security, CORS, request id) on Node's response,
 * so they go with it. Write the events to the response returned; end it when the stream is over.
 */
export function openEventStream(reply: FastifyReply, retryMs: number): ServerResponse {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, EVENT_STREAM_HEADERS);
  response.write(`retry: ${retryMs}\n\n`);
  return response;
}
