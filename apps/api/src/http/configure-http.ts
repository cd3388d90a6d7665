import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@delta/config';

/**
 * Fastify-level wiring Nest does not do for us: SCIM's media type (RFC 7644 §3.1 lets clients
 * send application/scim+json or application/json), request ids echoed back, and the OpenAPI docs.
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
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request completed',
    );
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
