import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AdminKeyService } from './admin-key.service';
import { AdminKeyGuard, ScimTokenGuard } from './auth.guards';
import { AdminKeyStrategy, ScimTokenStrategy } from './bearer.strategies';
import { ScimTokenVerifier } from './scim-token-verifier.service';

@Module({
  imports: [PassportModule],
  providers: [ScimTokenVerifier, AdminKeyService, ScimTokenStrategy, AdminKeyStrategy, ScimTokenGuard, AdminKeyGuard],
  exports: [ScimTokenVerifier, AdminKeyService, ScimTokenGuard, AdminKeyGuard],
})
export class AuthModule {}
