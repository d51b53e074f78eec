/**
 * A card and every act on it. The acts' forms are drawn from the API's request schemas
 * (act-forms.json), so a new field such as `via` appears by itself; next to each form, where the
 * card's rule pack lets the act be done (`places.<act>`, with its article) and the parameters
 * that govern it. Acts the pack does not do at this kind of counter are disabled and listed with
 * their article; a refusal shows the article that refused it, and an act that is another
 * organisation's business says who does it.
 */
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Divider,
  Form,
  Modal,
  Row,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { client, headersFor, unwrap } from '../../api/client';
import type { CardAct } from '../../api/types';
import { formatDate, formatDateTime } from '../../app/format';
import { param, useAct, usePolicy } from '../../app/hooks';
import { cardActReach, cardPlaceAct, counterPlace, placeOf, placesOf } from '../../app/places';
import { useSession } from '../../app/session';
import { CardFlags, WhyBlocked } from '../../components/CardSummary';
import { MissingOrRefused } from '../../components/Missing';
import { PackRules, RuleTag } from '../../components/PackRules';
import { Page } from '../../components/Page';
import { CitationView, ProblemAlert } from '../../components/ProblemAlert';
import { SchemaFields, actSchema, cleanBody } from '../../components/SchemaForm';
import { PlaceList, WhereAllowed } from '../../components/Where';

/** The permission each act needs (packages/domain/src/organisations/roles.ts). */
const PERMISSION: Record<CardAct, string> = {
  issue: 'card.issue',
  activate: 'card.activate',
  loss: 'card.loss',
  unreport: 'card.loss',
  suspend: 'card.suspend',
  resume: 'card.suspend',
  freeze: 'card.freeze',
  unfreeze: 'card.freeze',
  cancel: 'card.cancel',
  return: 'card.return',
  destroy: 'card.destroy',
  pin: 'card.pin',
  'pin/verify': 'card.pin',
  'pin/reset': 'card.pin',
  'pin/unlock': 'card.pin',
  'bank-account-closed': 'card.cancel',
  undeliverable: 'card.cancel',
};

/** The pack's parameters shown beside each act. */
const RULES: Record<CardAct, string[]> = {
  issue: ['pickup', 'change.oldCardReturnedAtPickup'],
  activate: ['activation'],
  loss: ['loss.temporary', 'loss.formal', 'loss.effect', 'loss.bankLinked'],
  unreport: ['loss.unreport'],
  suspend: ['suspension.onRequest', 'effects.suspension'],
  resume: ['suspension.onRequest'],
  freeze: ['suspension.forMisuse', 'effects.freeze'],
  unfreeze: ['suspension.forMisuse'],
  cancel: ['cancellation', 'effects.cancellation', 'temporaryCard.returnOn'],
  return: ['cancellation.cardRecovered', 'change.oldCardReturnedAtPickup'],
  destroy: ['destruction'],
  pin: ['pin'],
  'pin/verify': ['pin.lockoutAttempts'],
  'pin/reset': ['pin.initial'],
  'pin/unlock': ['pin.lockoutAttempts'],
  'bank-account-closed': ['cancellation.bankAccountClosureWithin'],
  undeliverable: ['unclaimed.undeliverable', 'unclaimed.undeliverableAction'],
};

const GROUPS: { key: string; acts: CardAct[] }[] = [
  { key: 'issue', acts: ['issue', 'activate'] },
  { key: 'loss', acts: ['loss', 'unreport'] },
  { key: 'state', acts: ['suspend', 'resume', 'freeze', 'unfreeze'] },
  { key: 'end', acts: ['cancel', 'return', 'destroy', 'undeliverable', 'bank-account-closed'] },
  { key: 'pin', acts: ['pin', 'pin/verify', 'pin/reset', 'pin/unlock'] },
];
/** The end reason of a card cancelled as undeliverable: `undeliverable_<reason>`. */
const UNDELIVERABLE = 'undeliverable_';
const DANGER = new Set<CardAct>(['cancel', 'destroy', 'freeze', 'undeliverable']);
const IRREVERSIBLE = new Set<CardAct>(['cancel', 'destroy', 'undeliverable']);

/** Whether an act's form takes the channel the report came in by (`via`). */
const takesVia = (act: CardAct) =>
  !!actSchema(`/api/v1/cards/{cardNo}/${act}`)?.properties?.['via'];

export default function CardPage() {
  const { cardNo = '' } = useParams();
  const { t } = useTranslation();
  const { can, me } = useSession();
  const counter = counterPlace(me?.organizationKind);
  const [open, setOpen] = useState<CardAct | null>(null);
  // The last act opened: the dialog keeps its name while it closes.
  const [last, setLast] = useState<CardAct>('issue');
  const [form] = Form.useForm();
  const watchedFunction = Form.useWatch('function', form) as string | undefined;
  const watchedKind = Form.useWatch('kind', form) as string | undefined;
  const watchedVia = Form.useWatch('via', form) as string | undefined;
  const q = useQuery({
    queryKey: ['card', cardNo],
    queryFn: () => unwrap(client.GET('/api/v1/cards/{cardNo}', { params: { path: { cardNo } } })),
  });
  const policy = usePolicy(q.data?.jurisdiction);
  // ZS-17(二), HN-12, FZ-27: what the pack does with a card that cannot be delivered.
  const undeliverableRule = param(policy.data, 'unclaimed.undeliverableAction');
  const act = useAct(
    ({ name, body }: { name: CardAct; body: unknown }, key: string) =>
      unwrap(
        client.POST(`/api/v1/cards/{cardNo}/${name}` as '/api/v1/cards/{cardNo}/issue', {
          params: { path: { cardNo } },
          body: body as never,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['card', cardNo], ['cards']],
  );

  if (q.isLoading) return <Spin className="page-spin" />;
  if (!q.data)
    return (
      <Page title={t('cards.title')}>
        <MissingOrRefused error={q.error} />
      </Page>
    );
  const c = q.data;
  const schema = open ? actSchema(`/api/v1/cards/{cardNo}/${open}`) : null;

  const suggested = new Set<CardAct>();
  if (c.status === 'in_stock') suggested.add('issue');
  if (c.status === 'issued' && !c.functions.social.enabledAt) suggested.add('activate');
  if (c.loss.kind !== 'none' && !c.loss.lapsed) suggested.add('unreport');
  if (c.pin.locked) suggested.add('pin/unlock');
  if (c.suspended) suggested.add('resume');
  if (c.frozen) suggested.add('unfreeze');
  if (c.bankAccount.closurePending) suggested.add('bank-account-closed');

  /** Acts shown only where they apply. */
  const applies = (a: CardAct) =>
    a === 'bank-account-closed'
      ? c.bankAccount.closurePending
      : a === 'undeliverable'
        ? c.status === 'in_stock' || c.status === 'in_production'
        : true;
  const reach = (a: CardAct) => cardActReach(policy.data, a, counter, takesVia(a));
  const elsewhere = GROUPS.flatMap((g) => g.acts)
    .filter((a) => applies(a) && can(PERMISSION[a]))
    .map((a) => ({ act: a, ...reach(a) }))
    .filter((r) => r.reach === 'elsewhere');
  const openPlaces =
    open && cardPlaceAct(open, { function: watchedFunction, kind: watchedKind })
      ? placesOf(policy.data, cardPlaceAct(open, { function: watchedFunction, kind: watchedKind })!)
      : null;

  const start = (name: CardAct) => {
    act.reset();
    act.renewKey();
    form.resetFields();
    setLast(name);
    setOpen(name);
  };
  const submit = (body: unknown) =>
    act.mutate(
      { name: open!, body },
      {
        onSuccess: () => {
          act.message.success(
            t(open === 'pin/verify' ? 'acts.pinOk' : 'acts.done', { act: t(`acts.${open}`) }),
          );
          setOpen(null);
        },
      },
    );

  return (
    <Page
      title={`${t('cards.title')} ${c.cardNo}`}
      subtitle={<CardFlags card={c} />}
      extra={
        <Space>
          <Link to={`/persons/${c.personId}`}>
            <Button>{t('person.title')}</Button>
          </Link>
          <Link to={`/applications/${c.applicationId}`}>
            <Button>{t('applications.title')}</Button>
          </Link>
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <Card title={t('statusRules.title')}>
            <Alert
              type={c.usable ? (c.blocked.length ? 'info' : 'success') : 'warning'}
              showIcon
              data-testid="card-usable"
              title={c.usable ? t('cards.usable') : t('cards.notUsable')}
              description={
                c.blocked.length ? <WhyBlocked card={c} policy={policy.data} /> : undefined
              }
            />
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, md: 2 }}
              className="kv"
              style={{ marginTop: 12 }}
            >
              <Descriptions.Item label={t('cards.kind')}>
                {t(`cards.kinds.${c.kind}`, { defaultValue: c.kind })}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.packVersion')}>
                {c.jurisdiction} {c.rules.packVersion}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.social')}>
                {c.functions.social.enabledAt
                  ? t('cards.enabledAt', { at: formatDateTime(c.functions.social.enabledAt) })
                  : t('cards.notEnabled')}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.financial')}>
                {c.functions.financial.activatedAt
                  ? t('cards.enabledAt', { at: formatDateTime(c.functions.financial.activatedAt) })
                  : t('cards.notEnabled')}
                {c.functions.financial.account
                  ? ` · ${t('cards.account')} ${c.functions.financial.account}`
                  : ''}
              </Descriptions.Item>
              {c.oneCard !== c.functions.social.usable && (
                <Descriptions.Item label={t('cards.oneCard')}>
                  {c.oneCard ? t('cards.works') : t('cards.blocked')}
                </Descriptions.Item>
              )}
              {(c.bankAccount.closedAt || c.bankAccount.closurePending) && (
                <Descriptions.Item label={t('cards.bankAccount')}>
                  {c.bankAccount.closedAt
                    ? t('cards.bankAccountClosedAt', { at: formatDateTime(c.bankAccount.closedAt) })
                    : t('cards.closurePending')}
                </Descriptions.Item>
              )}
              {c.undeliverable && (
                <Descriptions.Item label={t('cards.undeliverable')}>
                  {t(`enums.reason.${c.undeliverable.reason}`, {
                    defaultValue: c.undeliverable.reason,
                  })}
                  {c.undeliverable.action
                    ? ` · ${t(`cards.unclaimedActions.${c.undeliverable.action}`, { defaultValue: c.undeliverable.action })}`
                    : ''}{' '}
                  {undeliverableRule && <CitationView rule={undeliverableRule} compact />}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('cards.loss')}>
                {t(`cards.lossKinds.${c.loss.kind}`, { defaultValue: c.loss.kind })}
                {c.loss.since ? ` · ${formatDateTime(c.loss.since)}` : ''}
                {c.loss.until ? ` → ${formatDateTime(c.loss.until)}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.rule')}>{c.rules.lossRule}</Descriptions.Item>
              <Descriptions.Item label={t('cards.pin')}>
                {!c.pin.enabled
                  ? t('cards.pinDisabled')
                  : c.pin.locked
                    ? t('cards.pinLocked')
                    : c.pin.set
                      ? t('cards.pinSet')
                      : t('cards.pinNotSet')}
                {c.pin.failures > 0
                  ? ` · ${t('cards.pinFailures', { count: c.pin.failures })}`
                  : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.ecard')}>
                {t(`cards.ecardStatus.${c.ecard.status}`, { defaultValue: c.ecard.status })}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.issuedAt')}>
                {formatDateTime(c.issuedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.issuedTo')}>
                {c.issuedTo ? t(`enums.to.${c.issuedTo}`, { defaultValue: c.issuedTo }) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.expiresOn')}>
                {formatDate(c.expiresOn)}
              </Descriptions.Item>
              <Descriptions.Item label={t('cards.endedAt')}>
                {formatDateTime(c.endedAt)}
                {c.endReason
                  ? ` · ${
                      c.endReason.startsWith(UNDELIVERABLE)
                        ? `${t('cards.undeliverable')}：${t(`enums.reason.${c.endReason.slice(UNDELIVERABLE.length)}`)}`
                        : t(`enums.reason.${c.endReason}`, { defaultValue: c.endReason })
                    }`
                  : ''}
              </Descriptions.Item>
              {c.replacedBy && (
                <Descriptions.Item label={t('cards.replacedBy')}>
                  <Link to={`/cards/${c.replacedBy}`}>{c.replacedBy}</Link>
                </Descriptions.Item>
              )}
              {c.unclaimed && (
                <Descriptions.Item
                  label={t('cards.unclaimed', {
                    action: t(`cards.unclaimedActions.${c.unclaimed.action}`, {
                      defaultValue: c.unclaimed.action,
                    }),
                  })}
                >
                  {formatDateTime(c.unclaimed.at)}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card
            title={t('cards.lossRuleHint', { rule: c.rules.lossRule })}
            style={{ marginTop: 16 }}
          >
            <PackRules policy={policy.data} prefixes={['loss']} />
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Card title={t('cards.acts')}>
            {GROUPS.map((g, i) => (
              <div key={g.key}>
                {i > 0 && <Divider style={{ margin: '10px 0' }} />}
                <Space wrap>
                  {g.acts.filter(applies).map((a) => {
                    const permitted = can(PERMISSION[a]);
                    const notHere = permitted && reach(a).reach === 'elsewhere';
                    return (
                      <Button
                        key={a}
                        type={suggested.has(a) && !notHere ? 'primary' : 'default'}
                        danger={DANGER.has(a)}
                        disabled={!permitted || notHere}
                        title={
                          !permitted
                            ? t('acts.notPermitted')
                            : notHere
                              ? t('where.notDoneHere')
                              : undefined
                        }
                        onClick={() => start(a)}
                        data-testid={`act-${a.replace('/', '-')}`}
                        data-place={notHere ? 'elsewhere' : 'here'}
                      >
                        {t(`acts.${a}`)}
                      </Button>
                    );
                  })}
                </Space>
              </div>
            ))}
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              {t('where.atCounter', { place: t(`places.${counter}`) })}
            </Typography.Paragraph>
            {elsewhere.length > 0 && (
              <div className="not-here" data-testid="not-here">
                <Typography.Text strong>{t('where.notDoneHere')}</Typography.Text>
                <ul>
                  {elsewhere.map((r) => (
                    <li key={r.act}>
                      {t(`acts.${r.act}`)}：{t('where.doneAt')}
                      <PlaceList places={[...new Set(r.places.flatMap((p) => p.places))]} />{' '}
                      {r.places.map((p) =>
                        p.parameter ? <RuleTag key={p.act} p={p.parameter} /> : null,
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </Card>
        </Col>
      </Row>

      <Modal
        open={open !== null}
        title={t('acts.confirmTitle', { act: t(`acts.${open ?? last}`) })}
        onCancel={() => setOpen(null)}
        onOk={() => (schema ? form.submit() : submit(undefined))}
        okText={t(`acts.${open ?? last}`)}
        okButtonProps={
          { danger: open ? DANGER.has(open) : false, 'data-testid': 'act-confirm' } as never
        }
        confirmLoading={act.isPending}
        width={760}
        destroyOnHidden
      >
        {open && (
          <>
            {schema ? (
              <Form
                form={form}
                layout="vertical"
                onFinish={(v) => submit(cleanBody(v))}
                data-testid="act-form"
              >
                <SchemaFields schema={schema} />
                {open === 'pin/reset' && (
                  <Typography.Paragraph type="secondary">
                    {t('acts.resetToInitial')}
                  </Typography.Paragraph>
                )}
              </Form>
            ) : (
              <Typography.Paragraph>
                {t('acts.confirmNoBody', { cardNo: c.cardNo, act: t(`acts.${open}`) })}
              </Typography.Paragraph>
            )}
            <WhereAllowed places={openPlaces} at={placeOf(counter, watchedVia)} />
            {IRREVERSIBLE.has(open) && (
              <Alert
                type="warning"
                showIcon
                title={t('acts.irreversible')}
                style={{ marginBottom: 12 }}
              />
            )}
            {act.error ? (
              <div style={{ marginBottom: 12 }}>
                <ProblemAlert error={act.error} />
              </div>
            ) : null}
            <Collapse
              size="small"
              items={[
                {
                  key: 'rules',
                  label: `${t('policy.title')} · ${c.jurisdiction} ${c.rules.packVersion}`,
                  children: <PackRules policy={policy.data} prefixes={RULES[open] ?? []} />,
                },
              ]}
            />
          </>
        )}
      </Modal>
    </Page>
  );
}
