import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { endpointName, refusalOf, sendToEndpoint } from './endpoint-request';

const strict = { allowLoopback: false };
const loopbackAllowed = { allowLoopback: true };
const post = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' };

describe('which addresses a user’s notification endpoint may be', () => {
  it.each(['169.254.169.254', '169.254.0.1', 'fe80::1', '0.0.0.0', '::', '::ffff:169.254.169.254'])('never %s', (address) => {
    expect(refusalOf(address, loopbackAllowed)).toMatch(/link-local or unspecified/);
  });

  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('this machine, %s, only when the installation allows it', (address) => {
    expect(refusalOf(address, strict)).toMatch(/this machine/);
    expect(refusalOf(address, loopbackAllowed)).toBeNull();
  });

  it.each(['192.168.1.20', '10.0.0.7', '172.16.3.4', 'fd00::5', '203.0.113.9', '2001:db8::1'])('the local network or the internet, %s', (address) => {
    expect(refusalOf(address, strict)).toBeNull();
  });

  it('names an endpoint by its origin alone, never its path or query (where a webhook keeps its secret)', () => {
    expect(endpointName('https://hooks.example.org/services/T000/B000/secret?token=abc')).toBe('https://hooks.example.org');
    expect(endpointName('not a url')).toBe('an invalid URL');
  });
});

describe('sendToEndpoint (a real local server)', () => {
  let server: http.Server;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(`${request.method} ${request.url} ${body}`);
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => received.splice(0));

  it('posts and answers the status when the address is allowed', async () => {
    expect(await sendToEndpoint(`http://127.0.0.1:${port}/topic`, post, loopbackAllowed, 5000)).toBe(202);
    expect(received).toEqual(['POST /topic hello']);
  });

  it('refuses this machine by address or by a name that resolves to it, and sends nothing', async () => {
    await expect(sendToEndpoint(`http://127.0.0.1:${port}/topic`, post, strict, 5000)).rejects.toThrow(/refused: 127\.0\.0\.1 is this machine/);
    await expect(sendToEndpoint(`http://localhost:${port}/topic`, post, strict, 5000)).rejects.toThrow(/refused: localhost/);
    await expect(sendToEndpoint(`http://[::1]:${port}/topic`, post, strict, 5000)).rejects.toThrow(/refused: ::1 is this machine/);
    expect(received).toEqual([]);
  });
});
