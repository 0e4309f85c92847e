import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('leaves a URL without credentials as it is', () => {
    expect(redactUrl('/api/events/stream')).toBe('/api/events/stream');
    expect(redactUrl('/api/events?since=1-0&limit=10&topics=apps,system')).toBe('/api/events?since=1-0&limit=10&topics=apps,system');
  });

  it.each([
    ['/api/events/stream?token=eyJhbGciOi.x.y', '/api/events/stream?token=[REDACTED]'],
    ['/api/events/stream?since=1-0&token=hh_secret&topics=apps', '/api/events/stream?since=1-0&token=[REDACTED]&topics=apps'],
    ['/x?TOKEN=a&access_token=b&api_key=c&password=d', '/x?TOKEN=[REDACTED]&access_token=[REDACTED]&api_key=[REDACTED]&password=[REDACTED]'],
    ['/x?to%6Ben=secret', '/x?to%6Ben=[REDACTED]'],
    ['/x?token=a&token=b', '/x?token=[REDACTED]&token=[REDACTED]'],
    ['/x?token', '/x?token=[REDACTED]'],
    ['/x?%E0%A4%A=1&token=s', '/x?%E0%A4%A=1&token=[REDACTED]'],
  ])('redacts credentials in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
