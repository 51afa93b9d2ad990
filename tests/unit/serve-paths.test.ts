import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isServed } from '../../src/serve/server.js';

describe('which files of its build folder the preview serves', () => {
  it.each(['index.html', 'brief.html', 'topics/iran.html', 'feed.xml', 'feed.json', 'sitemap.xml', 'brief.pdf', 'assets/brief.3f2a9c1e07.css', 'assets/font.0a1b2c.woff2', 'assets/logo.1a2b.svg', 'assets/photo.1a2b.jpg', 'assets/Brand.1a2b.OTF'])(
    'serves %s, as a build writes it',
    (rel) => expect(isServed(rel.split('/').join(path.sep))).toBe(true),
  );

  it.each(['.flashbrief-cache.json', '.flashbrief-cache.1-of-2.json', '.hidden.html', 'assets/.x.css', '.git/config', 'topics/.x/a.html', 'feed.json.12345', 'index.html~', 'notes.txt', 'brief'])(
    'does not serve %s: a dotfile, or a type no build writes',
    (rel) => expect(isServed(rel.split('/').join(path.sep))).toBe(false),
  );
});
