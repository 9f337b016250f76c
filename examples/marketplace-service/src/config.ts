/** The demo's settings, from the environment. */
export interface DemoConfig {
  readonly port: number;
  /** Drive synthetic traffic against itself so every metric family has samples. */
  readonly traffic: boolean;
  /** Share (0..1) of API requests answered with 500, to provoke HighErrorRate on purpose. */
  readonly errorRate: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const errorRate = Number(env['DEMO_ERROR_RATE'] ?? '0.02');
  if (!(errorRate >= 0 && errorRate <= 1))
    throw new Error(`DEMO_ERROR_RATE must be within 0..1, got ${env['DEMO_ERROR_RATE']}`);
  return {
    port: Number(env['PORT'] ?? '8000'),
    traffic: env['DEMO_TRAFFIC'] !== '0',
    errorRate,
    databaseUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  };
}
