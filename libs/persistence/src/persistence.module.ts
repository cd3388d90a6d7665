import { DynamicModule, Global, Module } from '@nestjs/common';
import { Database } from './database/database';
import type { OpenedDatabase } from './database/database.factory';
import { AdminKeysRepository } from './admin-keys/admin-keys.repository';
import { AuditLogRepository } from './audit/audit-log.repository';
import { OrganizationsRepository } from './organizations/organizations.repository';
import { ScimTokensRepository } from './tokens/scim-tokens.repository';
import { ProvisioningLogRepository } from './audit/provisioning-log.repository';
import { ScimGroupsRepository } from './scim/scim-groups.repository';
import { ScimUsersRepository } from './scim/scim-users.repository';
import { ConnectionsRepository } from './connections/connections.repository';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { DownstreamRepository } from './downstream/downstream.repository';
import { AttributeMappingsRepository } from './mappings/attribute-mappings.repository';
import { RemapRunsRepository } from './mappings/remap-runs.repository';
import { UserProfilesRepository } from './profiles/user-profiles.repository';
import { DirectoryRepository } from './directory/directory.repository';

const REPOSITORIES = [
  OrganizationsRepository,
  ScimTokensRepository,
  AuditLogRepository,
  AdminKeysRepository,
  ProvisioningLogRepository,
  ScimUsersRepository,
  ScimGroupsRepository,
  AttributeMappingsRepository,
  RemapRunsRepository,
  UserProfilesRepository,
  DirectoryRepository,
  ConnectionsRepository,
  DeliveriesRepository,
  DownstreamRepository,
];

/** The database is opened (and migrated) before Nest starts; this module only hands it out. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(opened: OpenedDatabase): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [{ provide: Database, useValue: opened.database }, ...REPOSITORIES],
      exports: [Database, ...REPOSITORIES],
    };
  }
}
