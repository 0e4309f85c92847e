import type { FastifyInstance } from 'fastify';

const JSON_TYPE = 'application/json';

/**
 * JSON request bodies with Fastify's own parser (prototype poisoning refused), except that an empty body
 * is no body at all: clients often send `Content-Type: application/json` on a POST or DELETE that carries
 * nothing, and that is not a malformed request.
 */
export function acceptJsonBodies(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser(JSON_TYPE);
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parse(request, body as string, done);
  });
}
