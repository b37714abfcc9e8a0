import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogPrice } from './entities/catalog-price.entity.js';
import { CreditPackPrice } from './entities/credit-pack-price.entity.js';
import { Entitlement } from './entities/entitlement.entity.js';

export interface CatalogRows {
  prices: CatalogPrice[];
  packs: CreditPackPrice[];
  entitlements: Entitlement[];
}

@Injectable()
export class CatalogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Makes the catalog tables equal to the file, in one transaction: rows are upserted by their
   * natural keys (safe when several replicas boot at once) and rows the file no longer has go.
   */
  async replaceAll(rows: CatalogRows): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(CatalogPrice)
        .upsert(rows.prices, ['productKey', 'tier', 'billingCycle', 'region']);
      await manager.getRepository(CreditPackPrice).upsert(rows.packs, ['packKey', 'region']);
      await manager
        .getRepository(Entitlement)
        .upsert(rows.entitlements, ['levelKey', 'featureKey']);
      await this.deleteMissing(
        manager,
        'catalog_prices',
        ['product_key', 'tier', 'billing_cycle', 'region'],
        rows.prices.map((p) => [p.productKey, p.tier, p.billingCycle, p.region]),
      );
      await this.deleteMissing(
        manager,
        'credit_pack_prices',
        ['pack_key', 'region'],
        rows.packs.map((p) => [p.packKey, p.region]),
      );
      await this.deleteMissing(
        manager,
        'entitlements',
        ['level_key', 'feature_key'],
        rows.entitlements.map((e) => [e.levelKey, e.featureKey]),
      );
    });
  }

  private async deleteMissing(
    manager: { query(sql: string, parameters: unknown[]): Promise<unknown> },
    table: string,
    columns: string[],
    keep: string[][],
  ): Promise<void> {
    // Keys are lower-case words and region codes, so '|' cannot occur inside one.
    const keys = keep.map((key) => key.join('|'));
    await manager.query(
      `DELETE FROM ${table} WHERE NOT (concat_ws('|', ${columns.join(', ')}) = ANY($1::text[]))`,
      [keys],
    );
  }
}
