import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal, UserPrincipal } from '../../../common/auth/principal.js';
import { DomainError } from '../../../common/errors/index.js';
import { RolesGuard } from './roles.guard.js';

function contextFor(user: Principal | undefined, roles: string[] | undefined): ExecutionContext {
  const handler = () => undefined;
  if (roles) Reflect.defineMetadata('auth:roles', roles, handler);
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

const member: UserPrincipal = {
  kind: 'user',
  userId: 'u1',
  role: 'user',
  tokenId: 't1',
  sessionId: 's1',
};
const admin: UserPrincipal = { ...member, role: 'admin' };

describe('RolesGuard', () => {
  const sut = new RolesGuard(new Reflector());

  it('lets any caller through a route without @Roles', () => {
    expect(sut.canActivate(contextFor(member, undefined))).toBe(true);
  });

  it('lets a caller with a listed role through', () => {
    expect(sut.canActivate(contextFor(admin, ['admin']))).toBe(true);
  });

  it('refuses a caller without the role with 403 FORBIDDEN', () => {
    expect(() => sut.canActivate(contextFor(member, ['admin']))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }) as DomainError,
    );
  });

  it('refuses an anonymous caller on a role-restricted route', () => {
    expect(() => sut.canActivate(contextFor(undefined, ['admin']))).toThrow(DomainError);
  });
});
