import { cleanUploadedFilename, hasControlCharacters, urlFilename } from './filename.policy';

describe('file names', () => {
  it('finds C0 control characters and DEL', () => {
    expect(hasControlCharacters('a\nb')).toBe(true);
    expect(hasControlCharacters('a\u007f')).toBe(true);
    expect(hasControlCharacters('café menu.pdf')).toBe(false);
  });

  it('cleans uploaded names: no directories, no control characters', () => {
    expect(cleanUploadedFilename('C:\\dir/sub/re\u0000port\n.pdf')).toBe('report.pdf');
  });

  it('decodes the last segment of a URL path', () => {
    expect(urlFilename('/files/my%20pic.png')).toBe('my pic.png');
    expect(urlFilename('/files/caf%C3%A9.png')).toBe('café.png');
    expect(urlFilename('/dir/a%2Fb.png')).toBe('b.png');
    expect(urlFilename('/files/')).toBe('');
  });

  it.each(['/a%zz.png', '/a%E0%A4%A.png', '/a%', '/a%0Ab.png', '/a%00.png', '/a%7F.png'])(
    'refuses %s (malformed escape or control character)',
    (path) => {
      expect(urlFilename(path)).toBeNull();
    },
  );
});
