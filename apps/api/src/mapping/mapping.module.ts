import { Module } from '@nestjs/common';
import { MappingCache } from './mapping-cache.service';
import { UserProfileService } from './user-profile.service';

/** Attribute mapping on the API side: the per-organization cache and the write-path profile upkeep. */
@Module({
  providers: [MappingCache, UserProfileService],
  exports: [MappingCache, UserProfileService],
})
export class MappingModule {}
