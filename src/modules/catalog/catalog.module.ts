import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { CatalogPrice } from './entities/catalog-price.entity.js';
import { CreditPackPrice } from './entities/credit-pack-price.entity.js';
import { Entitlement } from './entities/entitlement.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([CatalogPrice, CreditPackPrice, Entitlement])],
  providers: [CatalogRepository, CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
