import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { StoreFailure } from '../domain/store/failure.js';
import type { ApiError, ApiErrorCode, ValidationIssue } from './api/contract.js';

export function sendError(reply: FastifyReply, status: number, body: ApiError): FastifyReply {
  return reply.code(status).type('application/json').send(body);
}

const FAILURE_STATUS: Record<StoreFailure['kind'], [number, ApiErrorCode]> = {
  not_found: [404, 'not_found'],
  invalid: [400, 'invalid_body'],
  conflict: [409, 'conflict'],
  invalid_transition: [409, 'invalid_transition'],
  forbidden: [403, 'forbidden'],
};

export function sendFailure(reply: FastifyReply, failure: StoreFailure): FastifyReply {
  const [status, error] = FAILURE_STATUS[failure.kind];
  switch (failure.kind) {
    case 'not_found':
      return sendError(reply, status, { error, message: 'not found' });
    case 'invalid': {
      const errors = failure.violations.map((v) => ({ path: v.field, code: 'rule', message: v.message }));
      const first = failure.violations[0];
      return sendError(reply, status, { error, field: first?.field, message: first ? `${first.field}: ${first.message}` : 'invalid', errors });
    }
    case 'conflict':
      return sendError(reply, status, { error, message: failure.message, ...(failure.field ? { field: failure.field } : {}) });
    case 'invalid_transition':
    case 'forbidden':
      return sendError(reply, status, { error, message: failure.message });
  }
}

const CONTEXT_CODE: Record<string, ApiErrorCode> = { body: 'invalid_body', querystring: 'invalid_query', params: 'invalid_params' };

interface ZodValidationEntry {
  keyword: string;
  instancePath: string;
  message: string;
  params: { keys?: unknown };
}

/** "/lines/0/quantity" → "lines.0.quantity"; an unknown key is reported at the key itself. */
function issueOf(entry: ZodValidationEntry): ValidationIssue {
  const parts = entry.instancePath.split('/').filter(Boolean);
  const keys = entry.params.keys;
  if (entry.keyword === 'unrecognized_keys' && Array.isArray(keys) && typeof keys[0] === 'string') parts.push(keys[0]);
  return { path: parts.join('.'), code: entry.keyword, message: entry.message };
}

const CLIENT_ERROR_CODE: Partial<Record<number, ApiErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
};

/** Fastify's own 4xx (unparseable JSON, body too large, wrong content type…) in words a caller can act on. */
function clientErrorMessage(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the request body is too large (at most 1 MiB)';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `unsupported content type: send JSON (Content-Type: application/json)`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the request body is empty; send a JSON object';
    default:
      return err.message;
  }
}

/** One JSON shape for every failure; 5xx details stay in the log, never in the response. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = (err.validation as unknown as ZodValidationEntry[]).map(issueOf);
      const first = errors[0];
      const error = CONTEXT_CODE[err.validationContext ?? 'body'] ?? 'invalid_body';
      const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid request';
      return sendError(reply, 400, { error, message, ...(first?.path ? { field: first.path } : {}), errors });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, err.statusCode, { error: CLIENT_ERROR_CODE[err.statusCode] ?? 'invalid_body', message: clientErrorMessage(err) });
    }
    request.log.error({ err }, 'request failed');
    return sendError(reply, 500, { error: 'internal', message: 'internal error' });
  });
}
