import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { AppConfig } from '@delta/config';

const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/**
 * Fastify-level wiring Nest does not do for us: SCIM's media type (RFC 7644 §3.1 lets clients
 * send application/scim+json or application/json, and every answer under /scim is
 * application/scim+json), request ids echoed back, the access log line, and the OpenAPI docs.
 */
export function configureHttp(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(
    'application/scim+json',
    { parseAs: 'string', bodyLimit: config.http.bodyLimitBytes },
    fastify.getDefaultJsonParser('error', 'error'),
  );
  // SCIM answers carry absolute URLs (meta.location, $ref) built on PUBLIC_URL.
  fastify.decorateRequest('deltaPublicUrl', config.http.publicUrl);
  // Callback-style hooks: an async hook costs a promise per request on every route.
  fastify.addHook('onRequest', (request, reply, done) => {
    // RFC 7644 §3.1: SCIM responses are application/scim+json (errors set it themselves too).
    if (request.url.startsWith('/scim/')) void reply.header('Content-Type', SCIM_CONTENT_TYPE);
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    // Built only when it will be written (the bench and many deployments run at warn).
    if ((request.log as Logger).isLevelEnabled('info')) {
      request.log.info(
        { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request completed',
      );
    }
    done();
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Delta admin API')
      .setDescription('Organizations, SCIM tokens, attribute mappings, connections and deliveries. SCIM 2.0 lives under /scim/v2/{org_id}.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
