import { SECRET_OVERLAP_MS, signingSecrets } from './secret-rotation';

const s = (id: string, at: number) => ({ _id: id, secret: `whsec_${id}`, createdAt: new Date(at) });

describe('signingSecrets', () => {
  it('signs with the newest, and with the previous one for 24 h after a rotation', () => {
    expect(signingSecrets([s('a', 0)], 10).active).toEqual(['whsec_a']);
    const both = [s('a', 0), s('b', 1000)];
    expect(signingSecrets(both, 2000)).toEqual({ active: ['whsec_b', 'whsec_a'], expiredIds: [] });
    expect(signingSecrets(both, 1000 + SECRET_OVERLAP_MS)).toEqual({
      active: ['whsec_b'],
      expiredIds: ['a'],
    });
  });

  it('handles several rotations', () => {
    const three = [s('c', 2000), s('a', 0), s('b', 1000)];
    expect(signingSecrets(three, 3000).active).toEqual(['whsec_c', 'whsec_b', 'whsec_a']);
    expect(signingSecrets(three, 1500 + SECRET_OVERLAP_MS)).toEqual({
      active: ['whsec_c', 'whsec_b'],
      expiredIds: ['a'],
    });
  });
});
