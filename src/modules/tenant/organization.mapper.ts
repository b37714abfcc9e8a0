import type { OrganizationResponseDto } from './dto/organization-response.dto.js';
import type { Organization } from './entities/organization.entity.js';

export function toOrganizationResponse(organization: Organization): OrganizationResponseDto {
  return {
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    region: organization.region,
    createdAt: organization.createdAt.toISOString(),
  };
}
