/**
 * `npm start`: runs the platform on the embedded database in ./data (or on DATABASE_URL).
 * `npm start -- --demo` also seeds the demo installation on first start.
 */
import { renderCalendarWarning } from '@sscard/domain';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { clusterRole, runPrimary, tagAnswers, tagNode } from './cluster.js';
import { loadConfig } from './config.js';
import { seedDemo } from './demo/seed.js';
import { defaultWebDir } from './http/web.js';
import { createLogger } from './logger.js';
import { openPlatform, type Platform } from './platform.js';
import { Lifecycle } from './ops/lifecycle.js';
import { gracefulShutdown, shutdownSettings } from './ops/shutdown.js';

/** Expired rule packs and calendar gaps are said at every start, not discovered at a counter. */
async function reportWarnings(platform: Platform, log: Logger): Promise<void> {
  const now = platform.deps.clock.now();
  for (const w of platform.deps.rules.warnings(now)) {
    log.warn(
      { code: w.code, jurisdiction: w.jurisdiction, version: w.version },
      w.message.zh + ' / ' + w.message.en,
    );
  }
  for (const w of await platform.deps.calendar.warnings()) {
    log.warn(
      { code: w.code, year: w.year },
      renderCalendarWarning(w, 'zh-CN') + ' / ' + renderCalendarWarning(w, 'en'),
    );
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const stopSettings = shutdownSettings();
  // SSCARD_WORKERS (cluster.ts): the primary migrates and seeds, then forks the workers.
  const role = clusterRole(config.databaseUrl);
  const platform = await openPlatform({ config, log, skipMigrations: role.kind === 'worker' });
  if (role.kind !== 'worker') await prepare(platform, log);
  if (role.kind === 'primary') {
    await platform.close();
    return runPrimary(role.workers, log).then(() => process.exit(0));
  }
  const lifecycle = new Lifecycle();
  const app = await buildApp(platform.deps, platform.services, {
    web: { dir: defaultWebDir() },
    lifecycle,
  });
  if (role.kind === 'worker') tagAnswers(app.server, role.index);
  if (config.nodes.name) tagNode(app.server, config.nodes.name);
  // Graceful stop (ops/shutdown.ts): not ready at once, refuse new requests, finish the acts in
  // flight, stop the scheduler and the queue, close the database; exit 1 past the timeout.
  let stopping: Promise<number> | undefined;
  const shutdown = (signal: string) => {
    stopping ??= gracefulShutdown(
      {
        lifecycle,
        log,
        http: app,
        scheduler: platform.services.jobs,
        queue: platform.services.queue,
        acts: platform.deps.acts,
        close: () => platform.close(),
      },
      signal,
      stopSettings,
    );
    void stopping.then((code) => process.exit(code));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  log.info(
    {
      port: config.port,
      database: platform.handle.kind,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      clock: config.clockMode,
      ...(role.kind === 'worker' ? { worker: role.index } : {}),
    },
    `sscard listening on http://localhost:${config.port} (API docs at /docs)`,
  );
  // Daily jobs (audit verification, inactive accounts, …): checked every minute; each runs once
  // a Shanghai day whichever node gets there first. In a cluster, worker 1 ticks.
  if (role.kind === 'single' || role.index === 1) platform.services.jobs.start();
  // Background jobs (docs/QUEUE.md): every serving node takes some (never the cluster primary).
  await platform.services.queue.start();
  const readyMs = lifecycle.markReady();
  log.info(
    {
      readyMs,
      migrationsMs: platform.timings.migrationsMs,
      openMs: platform.timings.openMs,
      ...(role.kind === 'worker' ? { worker: role.index } : {}),
    },
    `ready in ${readyMs} ms (migrations ${platform.timings.migrationsMs} ms)`,
  );
}

/** Once per start, before serving: the generated password, warnings, the demo. */
async function prepare(platform: Platform, log: Logger): Promise<void> {
  if (platform.generatedAdminPassword) {
    // Printed once, to the terminal only; set SSCARD_ADMIN_PASSWORD to choose it instead.
    process.stdout.write(
      `\n  Installation administrator created.\n  username: admin\n  password: ${platform.generatedAdminPassword}\n  (shown once; change it after logging in)\n\n`,
    );
  }
  await reportWarnings(platform, log);
  if (process.argv.includes('--demo')) {
    const result = await seedDemo(platform);
    log.info(
      { seeded: result.seeded, persons: result.persons },
      result.seeded ? 'demo installation seeded' : 'demo data already present',
    );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
