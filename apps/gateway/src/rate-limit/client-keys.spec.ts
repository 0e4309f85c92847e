import { accountKey, clientAddressKey, normaliseEmail } from './client-keys';

describe('rate-limit subjects', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
  ])('counts the client %s as %s', (address, key) => {
    expect(clientAddressKey(address)).toBe(key);
  });

  it('gives one IPv6 /64 one budget, and neighbouring /64s their own', () => {
    expect(clientAddressKey('2001:db8:1:2::1')).toBe(clientAddressKey('2001:db8:1:2:ffff::9'));
    expect(clientAddressKey('2001:db8:1:2::1')).not.toBe(clientAddressKey('2001:db8:1:3::1'));
  });

  it('normalises an email the way the login schema does, and ignores what is not one', () => {
    expect(normaliseEmail('  Alice@Example.COM ')).toBe('alice@example.com');
    expect(normaliseEmail('   ')).toBeNull();
    expect(normaliseEmail(42)).toBeNull();
    expect(normaliseEmail(undefined)).toBeNull();
  });

  it('keys an account by a digest, so Redis holds no email addresses', () => {
    const key = accountKey('alice@example.com');
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).toBe(accountKey('alice@example.com'));
    expect(key).not.toBe(accountKey('bob@example.com'));
  });
});
