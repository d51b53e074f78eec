/**
 * Organisation kinds and how they nest. A card centre (发卡机构 / 社保卡服务机构) oversees a
 * jurisdiction; cooperating banks (合作银行) have branches (网点); community outlets (社区受理网点,
 * SH-7) and the card service windows (社保卡综合服务窗口, SG-6; 市县一卡通机构, HN-7) sit under a centre; card vendors (卡商) make cards; units (用人单位、学校、村居委会) apply
 * for their people in batches.
 */
export const ORGANIZATION_KINDS = [
  'centre',
  'bank',
  'branch',
  'community_outlet',
  'service_window',
  'service_point',
  'vendor',
  'unit',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const ORGANIZATION_LEVELS = {
  centre: ['provincial', 'city'],
  unit: ['employer', 'school', 'village'],
} as const satisfies Partial<Record<OrganizationKind, readonly string[]>>;
export type OrganizationLevel = 'provincial' | 'city' | 'employer' | 'school' | 'village';

/** Which kind of organisation may be the parent; `null` in the list means "may have none". */
export const ALLOWED_PARENTS: Record<OrganizationKind, readonly (OrganizationKind | null)[]> = {
  centre: [null, 'centre'], // a city centre may sit under a provincial one
  bank: [null, 'centre'],
  branch: ['bank'],
  community_outlet: ['centre'],
  service_window: ['centre'], // 社保卡综合服务窗口 (SG-6), 市县一卡通机构 (HN-7): the centre's own
  service_point: ['centre'], // 医院、药店、交通、政务窗口: registered with the centre (HN-32, SG-26)
  vendor: [null, 'centre'],
  unit: [null, 'centre', 'branch'],
};

export const ORGANIZATION_KIND_LABELS: Record<OrganizationKind, { zh: string; en: string }> = {
  centre: { zh: '社保卡服务中心', en: 'Card centre' },
  bank: { zh: '合作银行（总行/分行）', en: 'Cooperating bank' },
  branch: { zh: '银行网点', en: 'Bank branch' },
  community_outlet: { zh: '社区受理网点', en: 'Community outlet' },
  service_window: { zh: '社保卡综合服务窗口', en: 'Card service window' },
  service_point: { zh: '用卡服务点（医院、药店、交通、政务窗口）', en: 'Service point' },
  vendor: { zh: '卡商', en: 'Card vendor' },
  unit: { zh: '代办单位', en: 'Unit (employer, school or village)' },
};

export function levelAllowed(kind: OrganizationKind, level: string | null | undefined): boolean {
  const allowed = (ORGANIZATION_LEVELS as Partial<Record<OrganizationKind, readonly string[]>>)[
    kind
  ];
  if (!allowed) return level === null || level === undefined;
  return level !== null && level !== undefined && allowed.includes(level);
}

/**
 * What a service point is (issue 12): where cards are read and checked online (HN-32), with
 * readers at every public service window (SG-26).
 */
export const SERVICE_POINT_KINDS = [
  'hospital', // 定点医疗机构
  'pharmacy', // 定点零售药店
  'transit', // 公共交通
  'government_window', // 政务服务窗口
  'other',
] as const;
export type ServicePointKind = (typeof SERVICE_POINT_KINDS)[number];

export const SERVICE_POINT_KIND_LABELS: Record<ServicePointKind, { zh: string; en: string }> = {
  hospital: { zh: '医院（定点医疗机构）', en: 'Hospital' },
  pharmacy: { zh: '定点零售药店', en: 'Pharmacy' },
  transit: { zh: '公共交通', en: 'Transit' },
  government_window: { zh: '政务服务窗口', en: 'Government window' },
  other: { zh: '其他', en: 'Other' },
};
