import { slugify } from './slug.js';

describe('slugify', () => {
  it.each([
    ["Ada Lovelace's workspace", 'ada-lovelace-s-workspace'],
    ['  Crème Brûlée  Ltd. ', 'creme-brulee-ltd'],
    ['!!!', 'org'],
    ['日本', 'org'],
    ['a'.repeat(80), 'a'.repeat(60)],
  ])('%j becomes %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
