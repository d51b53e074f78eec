/**
 * The architecture, checked on the source (docs/ARCHITECTURE.md): state changes go through the
 * act step only, and SQL lives in repositories only. A new service that opens its own
 * transaction, appends its own audit record or writes SQL fails here, naming the file and line.
 * The few exceptions are listed with the reason each is one.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'testing' ? [] : sources(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

function offenders(pattern: RegExp, allowed: Record<string, string>): string[] {
  const found: string[] = [];
  for (const file of sources(SRC)) {
    const rel = path.relative(SRC, file).split(path.sep).join('/');
    if (allowed[rel] !== undefined) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (pattern.test(line) && !line.trimStart().startsWith('*')) found.push(`${rel}:${i + 1}`);
      });
  }
  return found;
}

/** Where a transaction or an audit record may be written outside the act step, and why. */
const TRANSACTIONS: Record<string, string> = {
  'acts/act-step.ts': 'the act step itself',
  'db/migrate.ts': 'schema migrations, under an advisory lock, before anything else runs',
  'http/errors.ts': 'the record of a refused request, whose act rolled back',
  'modules/audit/retention.ts':
    'pruning the trail past retention: the archive anchor and the deletion in one transaction',
  'modules/keys/key-store.ts': 'start-up: the sealed index key is created once',
  'jobs/queue.repository.ts':
    'start-up: graphile-worker installs its schema under an advisory lock, one node at a time',
  'modules/keys/keys.service.ts': 'key rotation re-seals personal data in resumable batches',
  'ops/backup.repository.ts':
    'a backup reads its manifest in the snapshot pg_dump dumps: a read-only repeatable-read transaction whose snapshot is exported; it changes nothing',
  'modules/verification/deny-list.repository.ts':
    'the offline deny-list is derived from the cards, not an act: a build recomputes it in one transaction under its state row’s lock',
};

/** Where SQL may be written besides `*.repository.ts`, and why. */
const SQL: Record<string, string> = {
  ...TRANSACTIONS,
  'db/database.ts': 'opening the database',
  'db/change-bus.ts':
    'cache invalidation across nodes: a NOTIFY inside the writer’s transaction, heard on commit',
  'db/paging.ts': 'the one paging helper (counts a filtered query)',
  'db/pglite-dialect.ts': 'the embedded database driver',
  'modules/organizations/scope.ts': 'data scopes as SQL predicates, used by repositories',
  'modules/audit/audit.queries.ts': 'the audit trail’s queries (its repository, split by use)',
  'modules/audit/verify.ts': 'walking the hash chains',
  'modules/audit/archive.ts': 'reading the trail into archives',
  'http/security.ts': 'the shared rate-limit counters of @fastify/rate-limit',
  'security/db-snapshot.ts': 'the security suite compares whole tables',
};

describe('the act step is the only way to change state', () => {
  it('no transaction or audit record outside the act step (and the listed exceptions)', () => {
    expect(offenders(/\.transaction\(\)|audit\.append(All)?\(/, TRANSACTIONS)).toEqual([]);
  });

  it('no SQL outside repositories (and the listed exceptions)', () => {
    const inRepositories = Object.fromEntries(
      sources(SRC)
        .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
        .filter((f) => f.endsWith('.repository.ts'))
        .map((f) => [f, 'a repository']),
    );
    expect(
      offenders(/\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`/, {
        ...SQL,
        ...inRepositories,
      }),
    ).toEqual([]);
  });

  it('no service builds its own repository: they come from repositories.ts', () => {
    expect(
      offenders(/new \w+Repository\(/, {
        'repositories.ts': 'the one place repositories are built',
        'platform.ts': 'the composition root (audit and settings, before the rest)',
        'ops/backup.ts':
          'a restore checks the restored database before any platform can open on it (its master key may be missing)',
      }),
    ).toEqual([]);
  });
});
