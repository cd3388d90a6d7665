import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ProvisioningLogsController } from './logs/provisioning-logs.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { OrganizationsService } from './organizations/organizations.service';
import { ScimTokensController } from './tokens/scim-tokens.controller';
import { ScimTokensService } from './tokens/scim-tokens.service';

@Module({
  imports: [AuthModule],
  controllers: [OrganizationsController, ScimTokensController, ProvisioningLogsController],
  providers: [OrganizationsService, ScimTokensService],
})
export class AdminModule {}
