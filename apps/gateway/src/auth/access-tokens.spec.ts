import { AppConfig } from '@homehelper/config';
import { AccessTokens } from './access-tokens';

describe('AccessTokens', () => {
  const config = { jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 60 } as AppConfig;

  afterEach(() => jest.restoreAllMocks());

  it('checks a token once, and still refuses it once it has expired', () => {
    const tokens = new AccessTokens(config);
    const { accessToken } = tokens.issue({ sub: 'alice', role: 'admin' });
    const claims = tokens.verify(accessToken);
    expect(claims).toMatchObject({ sub: 'alice', role: 'admin' });
    expect(tokens.verify(accessToken)).toBe(claims);
    jest.spyOn(Date, 'now').mockReturnValue(claims!.expiresAt.getTime());
    expect(tokens.verify(accessToken)).toBeNull();
    expect(tokens.verify(accessToken)).toBeNull();
  });

  it('refuses a token signed with another secret or tampered with', () => {
    const tokens = new AccessTokens(config);
    const { accessToken } = tokens.issue({ sub: 'alice', role: 'user' });
    const foreign = new AccessTokens({ ...config, jwtSecret: 'y'.repeat(32) } as AppConfig).issue({ sub: 'alice', role: 'admin' }).accessToken;
    expect(tokens.verify(foreign)).toBeNull();
    const [header, , signature] = accessToken.split('.');
    const payload = Buffer.from(JSON.stringify({ role: 'admin', sub: 'alice', iss: 'homehelper', exp: 4102444800 })).toString('base64url');
    expect(tokens.verify(`${header}.${payload}.${signature}`)).toBeNull();
  });
});
