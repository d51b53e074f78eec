/**
 * Test helpers for keys: another start of the platform on a test platform's database with other
 * master keys (a restart, or a second API node), and people with every sealed field filled in.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { mod11_2CheckChar } from '@sscard/domain';
import { buildApp } from '../../app.js';
import type { App } from '../../http/app-types.js';
import { createLogger } from '../../logger.js';
import { openPlatform, type Platform } from '../../platform.js';
import type { TestPlatform } from '../../testing/harness.js';

export const key = (fill: number): string => Buffer.alloc(32, fill).toString('base64');

export interface Node {
  platform: Platform;
  app: App;
  logs(): string;
  api(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  /** Closes the app; the database stays open (it belongs to the test platform). */
  close(): Promise<void>;
}

/** Starts the platform again on `t`'s database with SSCARD_MASTER_KEY = `masterKey`. */
export async function startNode(t: TestPlatform, masterKey: string): Promise<Node> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const platform = await openPlatform({
    config: { ...t.config, masterKey },
    // The database belongs to `t`: a failed start must not close it.
    handle: { ...t.platform.handle, close: async () => {} },
    skipMigrations: true,
    log: createLogger('info', sink),
  });
  const app = await buildApp(platform.deps, platform.services);
  return {
    platform,
    app,
    logs: () => lines.join(''),
    api: ({ token, headers, ...rest }) =>
      app.inject({
        ...rest,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      }),
    close: () => app.close(),
  };
}

const id18 = (body17: string) => body17 + mod11_2CheckChar(body17);

export interface TestPerson {
  idNumber: string;
  name: string;
  phone: string;
  householdAddress: string;
  residenceAddress: string;
  guardianIdNumber: string | null;
}

/** `n` people with distinct ID numbers, phones and addresses; every third a minor with a guardian. */
export function people(n: number, seed = 1): TestPerson[] {
  return Array.from({ length: n }, (_, i) => {
    const k = seed * 100 + i;
    const seq = String(k).padStart(3, '0');
    const minor = i % 3 === 2;
    return {
      idNumber: id18(`310101${minor ? '20150101' : '19800101'}${seq}`),
      name: `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(i / 10) % 10]}`,
      phone: `139${String(10_000_000 + k * 7919).slice(-8)}`,
      householdAddress: `上海市黄浦区人民大道${k}号${i}室`,
      residenceAddress: `浙江省舟山市定海区昌国路${k}弄${i}号`,
      guardianIdNumber: minor ? id18(`31010119750505${seq}`) : null,
    };
  });
}

export function registration(p: TestPerson): Record<string, unknown> {
  return {
    idType: 'resident_id',
    idNumber: p.idNumber,
    name: p.name,
    phone: p.phone,
    householdAddress: p.householdAddress,
    residenceAddress: p.residenceAddress,
    ...(p.guardianIdNumber
      ? {
          guardian: {
            name: '监护人',
            idType: 'resident_id',
            idNumber: p.guardianIdNumber,
            relation: '父母',
          },
        }
      : {}),
  };
}

/**
 * A photo of noise, so that what the server stores (its own re-encoding) is as random as the
 * noise: any run of its bytes found in a dump was stored in clear, not matched by chance the way
 * a flat grey picture's repetitive data could be.
 */
export async function noisyPhoto(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const [width, height] = [150, 180];
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}
