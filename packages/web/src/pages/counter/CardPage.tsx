/**
 * A card and every act on it. The acts' forms are drawn from the API's request schemas
 * (act-forms.json), so a new field such as `via` appears by itself; next to each form, the
 * parameters of the card's rule pack that govern the act, with their articles. A refusal shows
 * the article that refused it.
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
import { useAct, usePolicy } from '../../app/hooks';
import { useSession } from '../../app/session';
import { CardFlags, WhyBlocked } from '../../components/CardSummary';
import { PackRules } from '../../components/PackRules';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { SchemaFields, actSchema, cleanBody } from '../../components/SchemaForm';

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
};

/** The pack's parameters shown beside each act. */
const RULES: Record<CardAct, string[]> = {
  issue: ['pickup', 'change.oldCardReturnedAtPickup'],
  activate: ['activation'],
  loss: ['loss.temporary', 'loss.formal', 'loss.effect', 'loss.bankLinked'],
  unreport: ['loss.unreport'],
  suspend: ['suspension.onRequest'],
  resume: ['suspension.onRequest'],
  freeze: ['suspension.forMisuse'],
  unfreeze: ['suspension.forMisuse'],
  cancel: ['cancellation', 'temporaryCard.returnOn'],
  return: ['cancellation.cardRecovered', 'change.oldCardReturnedAtPickup'],
  destroy: ['destruction'],
  pin: ['pin'],
  'pin/verify': ['pin.lockoutAttempts'],
  'pin/reset': ['pin.initial', 'pin.resetAt'],
  'pin/unlock': ['pin.lockoutAttempts', 'pin.resetAt'],
};

const GROUPS: { key: string; acts: CardAct[] }[] = [
  { key: 'issue', acts: ['issue', 'activate'] },
  { key: 'loss', acts: ['loss', 'unreport'] },
  { key: 'state', acts: ['suspend', 'resume', 'freeze', 'unfreeze'] },
  { key: 'end', acts: ['cancel', 'return', 'destroy'] },
  { key: 'pin', acts: ['pin', 'pin/verify', 'pin/reset', 'pin/unlock'] },
];
const DANGER = new Set<CardAct>(['cancel', 'destroy', 'freeze']);
const IRREVERSIBLE = new Set<CardAct>(['cancel', 'destroy']);

export default function CardPage() {
  const { cardNo = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const [open, setOpen] = useState<CardAct | null>(null);
  // The last act opened: the dialog keeps its name while it closes.
  const [last, setLast] = useState<CardAct>('issue');
  const [form] = Form.useForm();
  const q = useQuery({
    queryKey: ['card', cardNo],
    queryFn: () => unwrap(client.GET('/api/v1/cards/{cardNo}', { params: { path: { cardNo } } })),
  });
  const policy = usePolicy(q.data?.jurisdiction);
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
        <ProblemAlert error={q.error} />
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
                  ? ` · ${t(`enums.reason.${c.endReason}`, { defaultValue: c.endReason })}`
                  : ''}
              </Descriptions.Item>
              {c.replacedBy && (
                <Descriptions.Item label={t('cards.replacedBy')}>
                  <Link to={`/cards/${c.replacedBy}`}>{c.replacedBy}</Link>
                </Descriptions.Item>
              )}
              {c.unclaimed && (
                <Descriptions.Item label={t('cards.unclaimed', { action: c.unclaimed.action })}>
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
                  {g.acts.map((a) => (
                    <Button
                      key={a}
                      type={suggested.has(a) ? 'primary' : 'default'}
                      danger={DANGER.has(a)}
                      disabled={!can(PERMISSION[a])}
                      title={can(PERMISSION[a]) ? undefined : t('acts.notPermitted')}
                      onClick={() => start(a)}
                      data-testid={`act-${a.replace('/', '-')}`}
                    >
                      {t(`acts.${a}`)}
                    </Button>
                  ))}
                </Space>
              </div>
            ))}
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
