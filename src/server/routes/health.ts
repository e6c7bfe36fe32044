import { api } from '../api/contract.js';
import { bind } from './define.js';
import { typed, type RouteRegistrar } from './deps.js';

export const healthRoutes: RouteRegistrar = (app, { dialect }) => {
  typed(app).route({ ...bind(api.health), handler: () => Promise.resolve({ status: 'ok' as const, database: dialect }) });
};
