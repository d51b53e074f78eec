/**
 * Names for the shapes the pages use, all derived from the generated OpenAPI types (schema.d.ts):
 * nothing here restates a field by hand.
 */
import type { paths } from './schema';

export type { paths };
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<R> = R extends { 200: infer A } ? Json<A> : R extends { 201: infer A } ? Json<A> : never;
type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON answer of a route (200 or 201). */
export type Answer<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { responses: infer R } ? Ok<R> : never;

/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The query a route takes. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Me = Answer<'/api/v1/auth/me', 'get'>;
export type LoginAnswer = Answer<'/api/v1/auth/login', 'post'>;
export type Person = Answer<'/api/v1/persons/{id}', 'get'>;
export type NewPerson = BodyOf<'/api/v1/persons', 'post'>;
export type Card = Answer<'/api/v1/cards/{cardNo}', 'get'>;
export type Application = Answer<'/api/v1/applications/{id}', 'get'>;
export type NewApplication = BodyOf<'/api/v1/applications', 'post'>;
export type Organization = Answer<'/api/v1/organizations/{id}', 'get'>;
export type Staff = Answer<'/api/v1/staff/{id}', 'get'>;
export type NewStaff = BodyOf<'/api/v1/staff', 'post'>;
export type PermissionRequest = Answer<'/api/v1/permission-requests', 'get'>['items'][number];
export type NewPermissionRequest = BodyOf<'/api/v1/permission-requests', 'post'>;
export type Session = Answer<'/api/v1/sessions', 'get'>['items'][number];
export type Jurisdiction = Answer<'/api/v1/jurisdictions', 'get'>['items'][number];
export type Policy = Answer<'/api/v1/jurisdictions/{code}/policy', 'get'>;
export type PolicyParameter = Policy['parameters'][number];
export type AuditRecord = Answer<'/api/v1/audit', 'get'>['items'][number];
export type AccessLogEntry = Answer<'/api/v1/persons/{id}/access-log', 'get'>['items'][number];
export type Alert = Answer<'/api/v1/alerts', 'get'>['items'][number];
export type Job = Answer<'/api/v1/jobs', 'get'>[number];
export type JobRun = Answer<'/api/v1/jobs/{name}/run', 'post'>;
export type CalendarInfo = Answer<'/api/v1/calendar', 'get'>;
export type CalendarTable = BodyOf<'/api/v1/calendar/overrides', 'put'>;
export type FeeSchedule = Answer<'/api/v1/fees/schedule', 'get'>;
export type Clock = Answer<'/api/v1/system/clock', 'get'>;

/** The acts on a card whose routes exist: `POST /api/v1/cards/{cardNo}/<act>`. */
export type CardActPath = Extract<keyof paths, `/api/v1/cards/{cardNo}/${string}`>;
export type CardAct = CardActPath extends `/api/v1/cards/{cardNo}/${infer A}` ? A : never;
export type CardActBody<A extends CardAct> = BodyOf<`/api/v1/cards/{cardNo}/${A}`, 'post'>;

export type ApplicationActPath = Extract<keyof paths, `/api/v1/applications/{id}/${string}`>;
export type ApplicationAct = ApplicationActPath extends `/api/v1/applications/{id}/${infer A}`
  ? A
  : never;
