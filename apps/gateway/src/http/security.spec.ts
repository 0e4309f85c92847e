import { corsOptions, helmetOptions } from './security';

describe('HTTP hardening settings', () => {
  it('answers no CORS at all when no origin is configured (same-origin only)', () => {
    expect(corsOptions([])).toBeNull();
  });

  it('lets any origin in without credentials for *, never both', () => {
    expect(corsOptions(['*'])).toMatchObject({ origin: '*', credentials: false });
    expect(corsOptions(['https://home.example.com', '*'])).toMatchObject({ origin: '*', credentials: false });
  });

  it('lets exactly the listed origins in, with credentials, and exposes Retry-After', () => {
    expect(corsOptions(['https://home.example.com', 'http://192.168.1.20:8000'])).toMatchObject({
      origin: ['https://home.example.com', 'http://192.168.1.20:8000'],
      credentials: true,
      exposedHeaders: expect.arrayContaining(['Retry-After']),
    });
  });

  it('allows scripts from this origin only, and upgrades nothing to an HTTPS a home box may not have', () => {
    const options = helmetOptions();
    const csp = options.contentSecurityPolicy;
    if (typeof csp !== 'object') throw new Error('expected a Content-Security-Policy');
    expect(csp.directives).toMatchObject({ scriptSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'self'"] });
    expect(Object.keys(csp.directives ?? {})).not.toContain('upgradeInsecureRequests');
    expect(options.strictTransportSecurity).toBe(false);
  });
});
