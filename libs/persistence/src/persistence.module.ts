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

const REPOSITORIES = [
  OrganizationsRepository,
  ScimTokensRepository,
  AuditLogRepository,
  AdminKeysRepository,
  ProvisioningLogRepository,
  ScimUsersRepository,
  ScimGroupsRepository,
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
