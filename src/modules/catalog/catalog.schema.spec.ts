import { readFileSync } from 'node:fs';
import { InvalidCatalogError, parseCatalog } from './catalog.schema.js';

const shipped = () =>
  JSON.parse(readFileSync('config/catalog.json', 'utf8')) as Record<string, any>;

describe('parseCatalog', () => {
  it('accepts the shipped catalog', () => {
    const sut = parseCatalog(shipped(), 'config/catalog.json');
    expect(sut.tiersForSale).toEqual(['basic', 'standard', 'advanced', 'pro']);
    expect(sut.creditPacks.map((p) => p.key)).toEqual(['starter', 'growth', 'scale']);
  });

  it.each([
    [
      'a missing regional price',
      (c: any) => delete c.tiers[1].prices.yearly.GB,
      'tiers.1.prices.yearly.GB',
    ],
    [
      'a fractional amount',
      (c: any) => (c.tiers[0].prices.monthly.US.unitAmount = 9.99),
      'tiers.0.prices.monthly.US.unitAmount',
    ],
    [
      'a pack without a region',
      (c: any) => delete c.creditPacks[0].prices.AU,
      'creditPacks.0.prices.AU',
    ],
    [
      'a feature without a level',
      (c: any) => delete c.features.seats.limits.pro,
      'features.seats.limits.pro',
    ],
    [
      'a tier for sale that does not exist',
      (c: any) => c.tiersForSale.push('platinum'),
      'tiersForSale.4: no tier "platinum"',
    ],
    ['an unknown field', (c: any) => (c.discount = 10), 'discount'],
    [
      'a malformed Stripe price id',
      (c: any) => (c.tiers[0].prices.monthly.US.stripePriceId = 'prod_1'),
      'stripePriceId',
    ],
  ])('refuses %s, naming where', (_label, spoil, where) => {
    const catalog = shipped();
    spoil(catalog);
    expect(() => parseCatalog(catalog, 'catalog.json')).toThrow(InvalidCatalogError);
    expect(() => parseCatalog(catalog, 'catalog.json')).toThrow(where);
  });
});
