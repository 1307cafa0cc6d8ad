import { baseMimetype, fitsMessageType, MimetypePolicy } from './mimetype.policy';

describe('MimetypePolicy', () => {
  const policy = new MimetypePolicy(['image/jpeg', 'audio/*', 'application/vnd.*', ' Text/Plain ']);

  it.each([
    ['image/jpeg', true],
    ['IMAGE/JPEG', true],
    ['image/png', false],
    ['audio/ogg; codecs=opus', true],
    ['application/vnd.ms-excel', true],
    ['application/pdf', false],
    ['text/plain', true],
    ['not a type', false],
    ['', false],
  ])('allows(%p) = %p', (mimetype, expected) => {
    expect(policy.allows(mimetype)).toBe(expected);
  });

  it('matches media families to message types', () => {
    expect(fitsMessageType('image', 'image/png')).toBe(true);
    expect(fitsMessageType('image', 'video/mp4')).toBe(false);
    expect(fitsMessageType('audio', 'audio/ogg; codecs=opus')).toBe(true);
    expect(fitsMessageType('sticker', 'image/webp')).toBe(true);
    expect(fitsMessageType('document', 'application/pdf')).toBe(true);
    expect(fitsMessageType('document', 'image/png')).toBe(true);
    expect(baseMimetype('Audio/OGG ; codecs=opus')).toBe('audio/ogg');
  });
});
