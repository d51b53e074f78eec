/** Test people: valid, fictitious identity numbers and a way to register them with a photo. */
import { mod11_2CheckChar } from '@sscard/domain';
import { fakeJpeg } from '@sscard/domain/testing';
import type { TestPlatform } from './harness.js';

let sequence = 100;

/** A resident ID number born on `birthDate` in the given county; the sequence keeps them distinct. */
export function residentId(
  birthDate: string,
  county = '310101',
  sex: 'male' | 'female' = 'female',
): string {
  sequence += 1;
  const seq = sequence * 2 + (sex === 'male' ? 1 : 0);
  const body = `${county}${birthDate.replaceAll('-', '')}${String(seq % 1000).padStart(3, '0')}`;
  return body + mod11_2CheckChar(body);
}

export interface Registered {
  id: string;
  idNumber: string;
}

/** Registers a person (adults with a resident ID, children with the household register) and uploads a photo. */
export async function registerPerson(
  t: TestPlatform,
  token: string,
  options: {
    birthDate?: string;
    county?: string;
    photo?: boolean;
    name?: string;
    jurisdiction?: string;
    hardship?: 'none' | 'tekun' | 'dibao';
  } = {},
): Promise<Registered> {
  const birthDate = options.birthDate ?? '1985-03-15';
  const idNumber = residentId(birthDate, options.county ?? '310101');
  const child = Number(birthDate.slice(0, 4)) > 2010;
  const res = await t.api({
    method: 'POST',
    url: '/api/v1/persons',
    token,
    payload: {
      idType: child ? 'household_register' : 'resident_id',
      idNumber,
      name: options.name ?? '测试人',
      phone: '13800138000',
      ...(options.jurisdiction ? { jurisdiction: options.jurisdiction } : {}),
      ...(options.hardship ? { hardship: options.hardship } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const id = res.json<{ id: string }>().id;
  if (options.photo ?? true) {
    const photo = await t.api({
      method: 'PUT',
      url: `/api/v1/persons/${id}/photo`,
      token,
      headers: { 'content-type': 'image/jpeg' },
      payload: fakeJpeg(358, 441, 2000),
    });
    if (photo.statusCode !== 200)
      throw new Error(`photo failed: ${photo.statusCode} ${photo.body}`);
  }
  return { id, idNumber };
}
