import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { FastifyRequest } from 'fastify';
import { AdminKeyService } from './admin-key.service';
import type { AdminPrincipal, ScimPrincipal } from './scim-principal';
import { ScimTokenVerifier } from './scim-token-verifier.service';

@Injectable()
export class ScimTokenStrategy extends PassportStrategy(Strategy, 'scim-token') {
  constructor(private readonly verifier: ScimTokenVerifier) {
    super({ passReqToCallback: true, realm: 'SCIM' });
  }

  validate(request: FastifyRequest, token: string): Promise<ScimPrincipal> {
    const { orgId } = request.params as { orgId?: string };
    return this.verifier.verify(orgId ?? '', token, request.ip);
  }
}

@Injectable()
export class AdminKeyStrategy extends PassportStrategy(Strategy, 'admin-key') {
  constructor(private readonly adminKeys: AdminKeyService) {
    super({ realm: 'Delta admin API' });
  }

  validate(token: string): Promise<AdminPrincipal> {
    return this.adminKeys.verify(token);
  }
}
