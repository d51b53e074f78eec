/** HTTP routes of the person registry. */
import { Type } from '@sinclair/typebox';
import { HARDSHIP_STATUSES, ID_DOCUMENT_TYPE_IDS, MEDICAL_INSURANCE_TYPES } from '@sscard/domain';
import { sendAnswer } from '../../http/answer.js';
import type { App } from '../../http/app-types.js';
import { IdParams, LocalDate, StatedText, errorResponses, StringEnum } from '../../http/schemas.js';
import type { PersonsService } from './persons.service.js';
import { PersonView, presentPerson } from './persons.presenter.js';

const DocType = StringEnum(ID_DOCUMENT_TYPE_IDS, { description: 'Identity document type' });
const Sex = StringEnum(['male', 'female'] as const);
const MedicalInsurance = StringEnum(MEDICAL_INSURANCE_TYPES, {
  description: '职工医保 (employee), 城乡居民医保 (resident), other',
});
const Hardship = StringEnum(HARDSHIP_STATUSES, {
  description: 'none, 特困人员 (tekun) or 低保对象 (dibao)',
});
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Guardian = Type.Object(
  { name: Text(60), idType: DocType, idNumber: Text(30), relation: Text(20) },
  { additionalProperties: false },
);

const NewPersonBody = Type.Object(
  {
    idType: DocType,
    idNumber: Type.String({ minLength: 1, maxLength: 30, examples: ['11010519491231002X'] }),
    name: Type.String({ minLength: 1, maxLength: 60, examples: ['张三'] }),
    sex: Type.Optional(Sex),
    birthDate: Type.Optional(LocalDate),
    nationality: Type.Optional(
      Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 3166-1 alpha-3' }),
    ),
    ethnicity: Type.Optional(
      Type.String({ pattern: '^\\d{2}$', description: 'GB/T 3304 code, 01 = 汉族' }),
    ),
    phone: Type.Optional(Type.String({ maxLength: 20, examples: ['13800138000'] })),
    householdAddress: Type.Optional(Text(200)),
    residenceAddress: Type.Optional(Text(200)),
    postcode: Type.Optional(Type.String({ maxLength: 6, examples: ['200001'] })),
    occupation: Type.Optional(Text(60)),
    medicalInsurance: Type.Optional(MedicalInsurance),
    hardship: Type.Optional(Hardship),
    guardian: Type.Optional(Guardian),
    jurisdiction: Type.Optional(
      Type.String({ description: 'Division code or short code; defaults to the actor’s' }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        idType: 'resident_id',
        idNumber: '11010519491231002X',
        name: '张三',
        phone: '13800138000',
        residenceAddress: '上海市黄浦区人民大道200号',
        postcode: '200003',
        ethnicity: '01',
        medicalInsurance: 'employee',
      },
    ],
  },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Optional(Type.Union([t, Type.Null()]));
const ChangesBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Refuse if the record has changed since this version',
      }),
    ),
    phone: Nullable(Type.String({ maxLength: 20 })),
    householdAddress: Nullable(Text(200)),
    residenceAddress: Nullable(Text(200)),
    postcode: Nullable(Type.String({ maxLength: 6 })),
    occupation: Nullable(Text(60)),
    medicalInsurance: Nullable(MedicalInsurance),
    hardship: Type.Optional(Hardship),
    ethnicity: Nullable(Type.String({ pattern: '^\\d{2}$' })),
    guardian: Nullable(Guardian),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    examples: [{ version: 3, phone: '13900139000', postcode: '200003' }],
  },
);

const SearchBody = Type.Object(
  {
    idType: Type.Optional(DocType),
    idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    ssn: Type.Optional(Type.String({ minLength: 18, maxLength: 18 })),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    examples: [{ idType: 'resident_id', idNumber: '11010519491231002X' }, { phone: '13800138000' }],
  },
);

const ViewQuery = Type.Object({
  view: Type.Optional(StringEnum(['masked', 'full'] as const, { default: 'masked' })),
});

export function personsRoutes(app: App, persons: PersonsService): void {
  app.post('/api/v1/persons', {
    config: { access: 'person.create', action: 'person.create' },
    schema: {
      tags: ['persons'],
      summary: 'Register a person (人员登记)',
      description:
        'Validates the identity document, derives birth date and sex where the number carries them, and assigns the social security number. Two registrations of one person yield one person and a PERSON_EXISTS conflict carrying `personId`.',
      body: NewPersonBody,
      response: { 201: PersonView, ...errorResponses(409, 422) },
    },
    handler: async (req, reply) => {
      await persons.create(req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/persons/:id', {
    config: { access: 'person.read', throttle: 'lookup', holder: true },
    schema: {
      tags: ['persons'],
      summary: 'Read a person, masked; `view=full` with a reason for the full record',
      description:
        'The full record needs the person.read_full permission and a reason in the `X-Sscard-Reason` header (percent-encoded); the read is audited.',
      params: IdParams,
      querystring: ViewQuery,
      response: { 200: PersonView, ...errorResponses(404) },
    },
    handler: async (req, reply) => {
      if (req.query.view === 'full') {
        await persons.readFull(req.params.id, req.ctx);
        return sendAnswer(req, reply);
      }
      return presentPerson(await persons.get(req.params.id, req.ctx), false);
    },
  });

  app.post('/api/v1/persons/search', {
    config: { access: 'person.read', action: 'person.find', throttle: 'lookup' },
    schema: {
      tags: ['persons'],
      summary: 'Find persons by document, SSN or phone (exact match); masked',
      description:
        'A POST so that identity numbers never appear in URLs or access logs. A counter that gives a full document or social security number is serving the holder in front of it: it sees their masked record whoever registered them, and may do the holder’s business for a while (a presence, SSCARD_PRESENCE_MINUTES). By phone, only persons already in your scope. Audited.',
      body: SearchBody,
      response: { 200: Type.Object({ items: Type.Array(PersonView) }), ...errorResponses(422) },
    },
    handler: async (req, reply) => {
      await persons.find(req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.patch('/api/v1/persons/:id', {
    config: { access: 'person.update', action: 'person.update', holder: true },
    schema: {
      tags: ['persons'],
      summary: 'Change non-key information (非关键信息变更: phone, address, postcode, …)',
      params: IdParams,
      body: ChangesBody,
      response: { 200: PersonView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await persons.update(req.params.id, req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/persons/:id/death', {
    config: { access: 'person.update', action: 'person.record_death' },
    schema: {
      tags: ['persons'],
      summary: 'Record a death with its evidence',
      params: IdParams,
      body: Type.Object(
        {
          diedOn: LocalDate,
          evidence: StatedText(200, { examples: ['死亡医学证明 No. 31010600123'] }),
        },
        {
          additionalProperties: false,
          examples: [{ diedOn: '2026-05-01', evidence: '死亡医学证明 No. 31010600123' }],
        },
      ),
      response: { 200: PersonView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await persons.recordDeath(req.params.id, req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.put('/api/v1/persons/:id/photo', {
    config: { access: 'person.update', action: 'person.photo', holder: true },
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      tags: ['persons'],
      summary: 'Upload the photo (JPEG or PNG; type judged by content)',
      params: IdParams,
      consumes: ['image/jpeg', 'image/png', 'application/octet-stream'],
      response: {
        200: Type.Object({
          photoId: Type.String(),
          contentType: Type.String(),
          width: Type.Integer(),
          height: Type.Integer(),
        }),
        ...errorResponses(404, 413, 415, 422),
      },
    },
    handler: async (req, reply) => {
      await persons.setPhoto(req.params.id, req.body as Buffer, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/persons/:id/photo', {
    config: { access: 'person.read_full' },
    schema: {
      tags: ['persons'],
      summary: 'Download the photo (needs a reason; audited)',
      params: IdParams,
      produces: ['image/jpeg', 'image/png'],
      response: errorResponses(404, 422),
    },
    handler: async (req, reply) => {
      const photo = await persons.readPhoto(req.params.id, req.ctx);
      return reply.type(photo.contentType).header('cache-control', 'no-store').send(photo.bytes);
    },
  });
}
