/**
 * The demo installation (`sscard demo`, `npm start -- --demo`): for each of the five
 * jurisdictions a card centre, two cooperating banks with two branches each (one able to make
 * cards on the spot), a community outlet, a card vendor and an employer; staff for every role;
 * sixty people with valid, fictitious identity numbers; and a demo cardholder with an issued card
 * and a child in their care (demoHolders). Everything goes through the same
 * services as the API, so it is validated and audited like real data. Runs once.
 */
import sharp from 'sharp';
import {
  addDays,
  mod11_2CheckChar,
  scopeOf,
  type OrganizationKind,
  type Role,
} from '@sscard/domain';
import { systemContext, type ActContext } from '../context.js';
import type { Platform } from '../platform.js';

/** The password of every demo account; listed in the README. Never use the demo in production. */
export const DEMO_PASSWORD = 'Demo-2026-sscard';

const SEEDED_KEY = 'demo.seeded';

const JURISDICTIONS = [
  {
    short: 'ZS',
    place: '舟山',
    code: '330900',
    county: '330902',
    centre: '舟山市社会保障卡服务中心',
    level: 'city',
    banks: ['中国工商银行舟山分行', '浙江农商银行舟山分行'],
  },
  {
    short: 'SG',
    place: '韶关',
    code: '440200',
    county: '440203',
    centre: '韶关市社保卡管理服务中心',
    level: 'city',
    banks: ['中国建设银行韶关分行', '广东农信韶关分行'],
  },
  {
    short: 'SH',
    place: '上海',
    code: '310000',
    county: '310101',
    centre: '上海市社会保障卡服务中心',
    level: 'provincial',
    banks: ['上海银行', '中国银行上海市分行'],
  },
  {
    short: 'HN',
    place: '海南',
    code: '460000',
    county: '460105',
    centre: '海南省社会保障卡一卡通中心',
    level: 'provincial',
    banks: ['中国工商银行海南省分行', '海南农信'],
  },
  {
    short: 'FZ',
    place: '福州',
    code: '350100',
    county: '350102',
    centre: '福州市人力资源和社会保障信息数据中心',
    level: 'city',
    banks: ['中国农业银行福州分行', '福建海峡银行'],
  },
] as const;

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '子涵',
  '浩然',
  '梓萱',
];

export interface DemoAccount {
  username: string;
  role: Role;
  organization: string;
}

export interface DemoResult {
  seeded: boolean;
  persons: number;
  accounts: DemoAccount[];
}

/**
 * A demo cardholder (README): an adult with an issued card whose social function is enabled,
 * registered with a fixed phone, so the holders' portal (`/my/sign-in`) can be tried at once;
 * each is the recorded guardian of a child under 16 (`ward`), for family service (亲情服务).
 */
export interface DemoHolder {
  jurisdiction: string;
  short: string;
  name: string;
  idNumber: string;
  phone: string;
  ward: { name: string; idType: 'household_register'; idNumber: string };
}

/** The demo cardholders, one per jurisdiction: the same in every demo installation. */
export function demoHolders(): DemoHolder[] {
  return JURISDICTIONS.map((j, i) => ({
    jurisdiction: j.code,
    short: j.short,
    name: `演示持卡人${j.place}`,
    idNumber: demoIdNumber(j.county, '1985-05-05', 901),
    phone: `1380000000${i + 1}`,
    ward: {
      name: `演示儿童${j.place}`,
      idType: 'household_register',
      idNumber: demoIdNumber(j.county, '2016-08-08', 902),
    },
  }));
}

/**
 * A placeholder ID photo for the demo holders: 358 × 441 (the ID-photo size), a plain light
 * background with a darker head-and-shoulders shape, encoded by sharp like any stored photo.
 */
async function demoPhoto(): Promise<Buffer> {
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="358" height="441">' +
      '<rect width="358" height="441" fill="#dbe7f5"/>' +
      '<ellipse cx="179" cy="170" rx="72" ry="90" fill="#8a9bb0"/>' +
      '<path d="M40 441 Q40 300 179 290 Q318 300 318 441 Z" fill="#5b6b80"/>' +
      '</svg>',
  );
  return sharp(svg).flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer();
}

/** A deterministic pseudo-random sequence, so every demo installation looks the same. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The demo terminals' API keys (README): `sst_demo-fz-pharmacy` padded to the key's length. */
export function demoTerminalKey(short: string, kind: 'pharmacy' | 'hospital'): string {
  return `sst_demo-${short.toLowerCase()}-${kind}-`.padEnd(36, 'x');
}

export function demoIdNumber(county: string, birthDate: string, sequence: number): string {
  const body = `${county}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return body + mod11_2CheckChar(body);
}

/** The windows as the regulations name them (SG-6, HN-7); others are the centre's own window. */
const WINDOW_NAMES: Record<string, string> = {
  SG: '韶关市社保卡综合服务窗口',
  HN: '海口市社会保障卡一卡通服务窗口',
};

export async function seedDemo(
  platform: Platform,
  peoplePerJurisdiction = 60,
): Promise<DemoResult> {
  const { deps, services } = platform;
  if (await deps.settings.get(SEEDED_KEY)) return { seeded: false, persons: 0, accounts: [] };
  const system = systemContext('demo');
  const accounts: DemoAccount[] = [];
  let persons = 0;
  const random = rng(20261125);

  const addStaff = async (
    username: string,
    role: Role,
    organizationId: string | null,
    organization: string,
  ): Promise<string> => {
    const { staff } = await services.staff.create(
      {
        username,
        displayName: `${organization} ${role}`,
        role,
        organizationId,
        password: DEMO_PASSWORD,
      },
      system,
    );
    accounts.push({ username, role, organization });
    return staff.id;
  };

  /** The context of a member of staff at an organisation, with the scope their session would have. */
  const staffContext = (
    staffId: string,
    username: string,
    role: Role,
    org: { id: string; kind: string; bank_id: string | null; jurisdiction: string },
  ): ActContext => {
    const subject = {
      role,
      organizationId: org.id,
      organizationKind: org.kind as OrganizationKind,
      bankId: org.bank_id,
      jurisdiction: org.jurisdiction,
    };
    return {
      ...system,
      actor: { staffId, username, ...subject, scope: scopeOf(subject), sessionId: null },
    };
  };
  const holders = demoHolders();
  const photo = await demoPhoto();

  for (const j of JURISDICTIONS) {
    const s = j.short.toLowerCase();
    const centre = await services.organizations.create(
      {
        kind: 'centre',
        level: j.level,
        code: `${j.short}-CENTRE`,
        name: j.centre,
        jurisdiction: j.code,
      },
      system,
    );
    const centreCtx = staffContext(
      await addStaff(`${s}.centre`, 'centre_admin', centre.id, centre.name),
      `${s}.centre`,
      'centre_admin',
      centre,
    );
    let counterCtx: ActContext | undefined;
    await addStaff(`${s}.auditor`, 'auditor', centre.id, centre.name);
    const branches: string[] = [];
    for (const [bi, bankName] of j.banks.entries()) {
      const bank = await services.organizations.create(
        {
          kind: 'bank',
          code: `${j.short}-BANK${bi + 1}`,
          name: bankName,
          jurisdiction: j.code,
          parentId: centre.id,
        },
        system,
      );
      await addStaff(`${s}.bank${bi + 1}`, 'bank_admin', bank.id, bank.name);
      for (const br of [1, 2]) {
        const branch = await services.organizations.create(
          {
            kind: 'branch',
            code: `${j.short}-BANK${bi + 1}-BR${br}`,
            name: `${bankName}第${br}营业部`,
            jurisdiction: j.code,
            parentId: bank.id,
            canInstantIssue: br === 1,
          },
          system,
        );
        branches.push(branch.id);
        const username = `${s}.bank${bi + 1}.br${br}`;
        const staffId = await addStaff(username, 'branch_operator', branch.id, branch.name);
        // The demo holders' cards are made on the spot at the first bank's instant-issue branch.
        if (branch.can_instant_issue && !counterCtx)
          counterCtx = staffContext(staffId, username, 'branch_operator', branch);
      }
    }
    // The centre's own counter: SG-6's 社保卡综合服务窗口, HN-7's 市县一卡通机构, elsewhere the
    // centre's window. Community outlets (SH-7) only where the regulation has them.
    const window = await services.organizations.create(
      {
        kind: 'service_window',
        code: `${j.short}-WINDOW1`,
        name: WINDOW_NAMES[j.short] ?? `${j.centre}服务窗口`,
        jurisdiction: j.code,
        parentId: centre.id,
      },
      system,
    );
    await addStaff(`${s}.window`, 'community_operator', window.id, window.name);
    if (j.short === 'SH') {
      const outlet = await services.organizations.create(
        {
          kind: 'community_outlet',
          code: `${j.short}-COMM1`,
          name: `${j.centre.slice(0, 3)}社区事务受理服务中心`,
          jurisdiction: j.code,
          parentId: centre.id,
        },
        system,
      );
      await addStaff(`${s}.community`, 'community_operator', outlet.id, outlet.name);
    }
    const vendor = await services.organizations.create(
      {
        kind: 'vendor',
        code: `${j.short}-VENDOR1`,
        name: '示例卡商（制卡厂）',
        jurisdiction: j.code,
        parentId: centre.id,
      },
      system,
    );
    await addStaff(`${s}.vendor`, 'vendor_operator', vendor.id, vendor.name);
    await services.organizations.create(
      {
        kind: 'unit',
        level: 'employer',
        code: `${j.short}-UNIT1`,
        name: '示例用人单位有限公司',
        jurisdiction: j.code,
        parentId: centre.id,
      },
      system,
    );

    // Service points (issue 12): a pharmacy and a hospital, each with an operator and a reader
    // whose API key is fixed for the demo (demoTerminalKey; never in production).
    for (const [kind, suffix, label] of [
      ['pharmacy', 'PHARMACY1', '示例大药房（定点零售药店）'],
      ['hospital', 'HOSPITAL1', '示例人民医院（定点医疗机构）'],
    ] as const) {
      const point = await services.organizations.create(
        {
          kind: 'service_point',
          servicePointKind: kind,
          code: `${j.short}-${suffix}`,
          name: `${j.centre.slice(0, 2)}${label}`,
          jurisdiction: j.code,
          parentId: centre.id,
        },
        system,
      );
      await addStaff(`${s}.${kind}`, 'service_point_operator', point.id, point.name);
      await services.terminals.register(system, {
        organizationId: point.id,
        kind: kind === 'pharmacy' ? 'pos' : 'card_reader',
        label: kind === 'pharmacy' ? '收银台读卡器1' : '挂号窗口读卡器1',
        brand: '示例',
        model: 'R-100',
        presetApiKey: demoTerminalKey(j.short, kind),
      });
    }

    // The demo cardholder and their child, before the random people (a number drawn there that
    // happens to equal theirs is refused as a duplicate and skipped).
    await seedHolder(
      platform,
      holders.find((h) => h.short === j.short)!,
      {
        address: `${j.centre.slice(0, 3)}演示路1号`,
        postcode: `${j.county.slice(0, 4)}00`,
        photo,
        counter: counterCtx!,
        centre: centreCtx,
      },
    );
    persons += 2;

    // People: registered at the branches in turn, as if they had come to the counter.
    for (let i = 0; i < peoplePerJurisdiction; i++) {
      const adult = i % 6 !== 5;
      const birthDate = addDays(
        adult ? '1945-01-01' : '2012-01-01',
        Math.floor(random() * (adult ? 20000 : 4000)),
      );
      const sex = random() < 0.5 ? 'male' : 'female';
      const sequence = Math.floor(random() * 499) * 2 + (sex === 'male' ? 1 : 2);
      const idNumber = demoIdNumber(j.county, birthDate, sequence % 1000 === 0 ? 2 : sequence);
      const name =
        SURNAMES[Math.floor(random() * SURNAMES.length)]! +
        GIVEN[Math.floor(random() * GIVEN.length)]!;
      const branchId = branches[i % branches.length]!;
      const ctx: ActContext = {
        ...system,
        actor: {
          ...system.actor!,
          role: 'branch_operator',
          organizationId: branchId,
          organizationKind: 'branch',
          jurisdiction: j.code,
        },
      };
      const phone = `13${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
      try {
        await services.persons.create(
          {
            idType: adult ? 'resident_id' : 'household_register',
            idNumber,
            name,
            jurisdiction: j.code,
            ethnicity: '01',
            phone,
            residenceAddress: `${j.centre.slice(0, 3)}示例路${i + 1}号`,
            postcode: `${j.county.slice(0, 4)}00`,
            medicalInsurance: adult ? 'employee' : 'resident',
            ...(adult
              ? {}
              : {
                  guardian: {
                    name: `${name.slice(0, 1)}建国`,
                    idType: 'resident_id' as const,
                    idNumber: demoIdNumber(j.county, '1980-06-01', 11 + i),
                    relation: '父亲',
                  },
                }),
          },
          ctx,
        );
        persons += 1;
      } catch (e) {
        // A generated number may repeat; the registry refuses the duplicate and we move on.
        if (!(e instanceof Error && 'code' in e && e.code === 'PERSON_EXISTS')) throw e;
      }
    }
  }
  await deps.settings.put(
    SEEDED_KEY,
    { at: deps.clock.now().toISOString(), persons },
    deps.clock.now(),
  );
  return { seeded: true, persons, accounts };
}

/**
 * A demo cardholder as a counter's day would make one: registered with a photo at the
 * instant-issue branch, a first application made on the spot (FZ-16: instant production), the
 * agencies' checks the pack asks for passed by the centre, the card issued to the holder and its
 * social function enabled (already so where the pack enables it at pickup, HN-15, SG-13). Then
 * their child, registered with the holder as recorded guardian (for family service).
 */
async function seedHolder(
  { deps, services }: Platform,
  holder: DemoHolder,
  at: { address: string; postcode: string; photo: Buffer; counter: ActContext; centre: ActContext },
): Promise<void> {
  const { counter, centre } = at;
  const person = await services.persons.create(
    {
      idType: 'resident_id',
      idNumber: holder.idNumber,
      name: holder.name,
      jurisdiction: holder.jurisdiction,
      ethnicity: '01',
      phone: holder.phone,
      residenceAddress: at.address,
      householdAddress: at.address,
      postcode: at.postcode,
      medicalInsurance: 'employee',
    },
    counter,
  );
  await services.persons.setPhoto(person.id, at.photo, counter);
  // Made on the spot where the pack offers it for a first card (FZ-16/21, HN-11); else in a batch.
  const { pack } = deps.rules.resolve(holder.jurisdiction, deps.clock.now());
  const instant = pack.production.instant.value;
  let app = await services.applications.submit(
    {
      personId: person.id,
      kind: 'first',
      production:
        instant.offered !== 'none' && instant.kinds.includes('first') ? 'instant' : 'batch',
    },
    counter,
  );
  for (const check of await services.applications.repo.checks(app.id)) {
    if (check.result === 'pending')
      app = await services.applications.recordCheck(
        app.id,
        { agency: check.agency, result: 'pass' },
        centre,
      );
  }
  app = await services.applications.get(app.id, counter);
  app =
    app.status === 'approved'
      ? await services.applications.produce(app.id, counter)
      : await services.applications.stock(app.id, counter);
  const cardNo = app.card_no!;
  const issued = await services.cards.issue(cardNo, { to: 'holder' }, counter);
  if (!issued.social_enabled_at)
    await services.cards.activate(cardNo, { function: 'social' }, counter);
  await services.persons.create(
    {
      idType: holder.ward.idType,
      idNumber: holder.ward.idNumber,
      name: holder.ward.name,
      jurisdiction: holder.jurisdiction,
      ethnicity: '01',
      residenceAddress: at.address,
      householdAddress: at.address,
      postcode: at.postcode,
      medicalInsurance: 'resident',
      guardian: {
        name: holder.name,
        idType: 'resident_id',
        idNumber: holder.idNumber,
        relation: '父亲',
      },
    },
    counter,
  );
}
