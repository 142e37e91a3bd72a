import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { buildOpenApiDocument } from './document';

/** `GET /api/openapi.json` and Swagger UI at `/api/docs`; the document is built once at start-up. */
export function createDocsRouter(publicBaseUrl?: string): Router {
  const document = buildOpenApiDocument(publicBaseUrl);
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use('/api/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/api/openapi.json' } }));
  return router;
}
