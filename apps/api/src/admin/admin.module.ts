import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, resolveEncryptionKey } from '@delta/config';
import { CredentialCipher } from '@delta/core';
import { ConnectionsController } from './connections/connections.controller';
import { ConnectionsService } from './connections/connections.service';
import { ResyncService } from './connections/resync.service';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveriesService } from './deliveries/deliveries.service';
import { AuthModule } from '../auth/auth.module';
import { MappingModule } from '../mapping/mapping.module';
import { AttributeMappingsController } from './attribute-mappings/attribute-mappings.controller';
import { AttributeMappingsService } from './attribute-mappings/attribute-mappings.service';
import { GroupsController } from './groups/groups.controller';
import { DirectoryService } from './users/directory.service';
import { UsersController } from './users/users.controller';
import { ProvisioningLogsController } from './logs/provisioning-logs.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { OrganizationsService } from './organizations/organizations.service';
import { ScimTokensController } from './tokens/scim-tokens.controller';
import { ScimTokensService } from './tokens/scim-tokens.service';

@Module({
  imports: [AuthModule, MappingModule],
  controllers: [OrganizationsController, ScimTokensController, ProvisioningLogsController, ConnectionsController, DeliveriesController, AttributeMappingsController, UsersController, GroupsController],
  providers: [
    OrganizationsService,
    ScimTokensService,
    ConnectionsService,
    ResyncService,
    DeliveriesService,
    AttributeMappingsService,
    DirectoryService,
    { provide: CredentialCipher, inject: [APP_CONFIG], useFactory: (config: AppConfig) => CredentialCipher.single(resolveEncryptionKey(config)) },
  ],
})
export class AdminModule {}
