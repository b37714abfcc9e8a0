import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/index.js';
import type { UpdateProfileDto } from './dto/update-profile.dto.js';
import type { UserResponseDto } from './dto/user-response.dto.js';
import { UserRepository } from './user.repository.js';
import { UserNotFoundError } from './user.errors.js';
import { toUserResponse } from './user.mapper.js';

export const MAX_PREFERENCES_BYTES = 16 * 1024;

/** The caller's own profile and preferences. */
@Injectable()
export class ProfileService {
  constructor(private readonly users: UserRepository) {}

  async get(userId: string): Promise<UserResponseDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new UserNotFoundError();
    return toUserResponse(user);
  }

  async update(userId: string, patch: UpdateProfileDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.updateProfile(userId, patch));
  }

  async getPreferences(userId: string): Promise<Record<string, unknown>> {
    return (await this.users.findById(userId))?.preferences ?? {};
  }

  /** Replaces the preferences with a JSON object of at most 16 KiB (as serialized). */
  async replacePreferences(userId: string, preferences: unknown): Promise<Record<string, unknown>> {
    if (typeof preferences !== 'object' || preferences === null || Array.isArray(preferences)) {
      throw new DomainError('VALIDATION_FAILED', 'Preferences must be a JSON object', {
        errors: [{ field: 'preferences', message: 'must be a JSON object' }],
      });
    }
    if (Buffer.byteLength(JSON.stringify(preferences)) > MAX_PREFERENCES_BYTES) {
      throw new DomainError('PAYLOAD_TOO_LARGE', 'Preferences are limited to 16 KiB');
    }
    await this.users.setPreferences(userId, preferences as Record<string, unknown>);
    return preferences as Record<string, unknown>;
  }
}
