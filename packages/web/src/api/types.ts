/**
 * Names for the shapes the pages use, all derived from the generated OpenAPI types (schema.d.ts):
 * nothing here restates a field by hand.
 */
import type { components, paths } from './schema';

export type { paths };
type Schemas = components['schemas'];
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
export type Person = Schemas['Person'];
export type NewPerson = BodyOf<'/api/v1/persons', 'post'>;
export type Card = Schemas['Card'];
export type Application = Schemas['Application'];
export type NewApplication = BodyOf<'/api/v1/applications', 'post'>;
export type Organization = Schemas['Organization'];
export type Staff = Schemas['Staff'];
export type NewStaffAnswer = Answer<'/api/v1/staff', 'post'>;
export type NewStaff = BodyOf<'/api/v1/staff', 'post'>;
export type PermissionRequest = Schemas['PermissionRequest'];
export type NewPermissionRequest = BodyOf<'/api/v1/permission-requests', 'post'>;
export type Session = Answer<'/api/v1/sessions', 'get'>['items'][number];
export type Jurisdiction = Answer<'/api/v1/jurisdictions', 'get'>['items'][number];
export type Policy = Answer<'/api/v1/jurisdictions/{code}/policy', 'get'>;
export type PolicyParameter = Policy['parameters'][number];
export type AuditRecord = Schemas['AuditRecord'];
export type AccessLogEntry = Schemas['AccessLogEntry'];
export type Alert = Schemas['Alert'];
export type ChainReport = Answer<'/api/v1/audit/verify', 'post'>;
export type DashboardStats = Answer<'/api/v1/stats/dashboard', 'get'>;
export type Branch = Answer<'/api/v1/jurisdictions/{code}/branches', 'get'>['items'][number];
export type Job = Answer<'/api/v1/jobs', 'get'>[number];
export type JobRun = Answer<'/api/v1/jobs/{name}/run', 'post'>;
export type CalendarInfo = Answer<'/api/v1/calendar', 'get'>;
export type CalendarTable = BodyOf<'/api/v1/calendar/overrides', 'put'>;
export type FeeSchedule = Answer<'/api/v1/fees/schedule', 'get'>;
export type Clock = Answer<'/api/v1/system/clock', 'get'>;
export type Terminal = Schemas['Terminal'];
export type NewTerminal = BodyOf<'/api/v1/terminals', 'post'>;
export type TerminalWithKey = Answer<'/api/v1/terminals', 'post'>;
export type TerminalChange = BodyOf<'/api/v1/terminals/{id}/change', 'post'>;
export type CardCheck = Answer<'/api/v1/verify/card', 'post'>;
export type CardCheckReason = CardCheck['reasons'][number];
export type PinCheck = Answer<'/api/v1/verify/pin', 'post'>;
export type QrCheck = Answer<'/api/v1/verify/qr', 'post'>;
export type QueueJob = Schemas['QueueJob'];
export type Notification = Schemas['Notification'];

/** The acts on a card whose routes exist: `POST /api/v1/cards/{cardNo}/<act>`. */
export type CardActPath = Extract<keyof paths, `/api/v1/cards/{cardNo}/${string}`>;
export type CardAct = CardActPath extends `/api/v1/cards/{cardNo}/${infer A}` ? A : never;
export type CardActBody<A extends CardAct> = BodyOf<`/api/v1/cards/{cardNo}/${A}`, 'post'>;

export type ApplicationActPath = Extract<keyof paths, `/api/v1/applications/{id}/${string}`>;
export type ApplicationAct = ApplicationActPath extends `/api/v1/applications/{id}/${infer A}`
  ? A
  : never;
