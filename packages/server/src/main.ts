/**
 * `npm start`: runs the platform on the embedded database in ./data (or on DATABASE_URL).
 * `npm start -- --demo` also seeds the demo installation on first start.
 */
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { seedDemo } from './demo/seed.js';
import { createLogger } from './logger.js';
import { openPlatform } from './platform.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const platform = await openPlatform({ config, log });
  if (platform.generatedAdminPassword) {
    // Printed once, to the terminal only; set SSCARD_ADMIN_PASSWORD to choose it instead.
    process.stdout.write(
      `\n  Installation administrator created.\n  username: admin\n  password: ${platform.generatedAdminPassword}\n  (shown once; change it after logging in)\n\n`,
    );
  }
  if (process.argv.includes('--demo')) {
    const result = await seedDemo(platform);
    log.info(
      { seeded: result.seeded, persons: result.persons },
      result.seeded ? 'demo installation seeded' : 'demo data already present',
    );
  }
  const app = await buildApp(platform.deps, platform.services);
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  log.info(
    {
      port: config.port,
      database: platform.handle.kind,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      clock: config.clockMode,
    },
    `sscard listening on http://localhost:${config.port} (API docs at /docs)`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
