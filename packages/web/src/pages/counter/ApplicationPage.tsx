/**
 * An application: where it stands, its checks with their deadlines (SH-10), fee and due date
 * with the articles behind them, and the acts that move it on: record a check, withdraw, make
 * the card on the spot, take a batch card into stock, tell the applicant the card is late
 * (FZ-23, where the pack asks for it). The receipt prints from here.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Modal,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { client, headersFor, unwrap } from '../../api/client';
import type { Application, ApplicationAct } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { param, useAct, usePolicy } from '../../app/hooks';
import { useSession } from '../../app/session';
import { ApplicationStatusTag, FeeView } from '../../components/ApplicationBits';
import { PackRules } from '../../components/PackRules';
import { Page } from '../../components/Page';
import { MissingOrRefused } from '../../components/Missing';
import { CitationView, ProblemAlert } from '../../components/ProblemAlert';
import { SchemaFields, actSchema, cleanBody } from '../../components/SchemaForm';
import type { Citation } from '../../api/problem';

const PERMISSION: Record<ApplicationAct, string> = {
  checks: 'application.check',
  withdraw: 'application.withdraw',
  produce: 'card.produce',
  stock: 'card.stock',
  'delay-notice': 'application.check',
};

const OPEN = new Set(['submitted', 'checking', 'approved', 'in_production', 'produced']);

export default function ApplicationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const [open, setOpen] = useState<ApplicationAct | null>(null);
  const [last, setLast] = useState<ApplicationAct>('checks');
  const [form] = Form.useForm();
  const q = useQuery({
    queryKey: ['application', id],
    queryFn: () => unwrap(client.GET('/api/v1/applications/{id}', { params: { path: { id } } })),
  });
  const policy = usePolicy(q.data?.jurisdiction);
  const act = useAct(
    ({ name, body }: { name: ApplicationAct; body: unknown }, key: string) =>
      unwrap(
        client.POST(`/api/v1/applications/{id}/${name}` as '/api/v1/applications/{id}/checks', {
          params: { path: { id } },
          body: body as never,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['application', id]],
  );

  if (q.isLoading) return <Spin className="page-spin" />;
  if (!q.data)
    return (
      <Page title={t('applications.title')}>
        <MissingOrRefused error={q.error} />
      </Page>
    );
  const a: Application = q.data;
  const due = a.due as { at: string; overdue: boolean; rule: Citation | null } | null;

  const run = (name: ApplicationAct) => {
    const schema = actSchema(`/api/v1/applications/{id}/${name}`);
    act.reset();
    if (schema) form.resetFields();
    setLast(name);
    setOpen(name);
  };
  const submit = (body: unknown) =>
    act.mutate(
      { name: open!, body },
      {
        onSuccess: () => {
          act.message.success(
            t('acts.done', { act: t(`applications.${open === 'checks' ? 'recordCheck' : open}`) }),
          );
          setOpen(null);
        },
      },
    );
  const openSchema = open ? actSchema(`/api/v1/applications/{id}/${open}`) : null;
  const pending = a.checks.some((c) => c.result === 'pending');
  const delayNotice = param(policy.data, 'production.delayNotice');
  const shown: ApplicationAct[] = ['checks', 'produce', 'stock', 'withdraw'];
  if (delayNotice?.value && a.production !== 'instant' && OPEN.has(a.status) && !a.delayNoticeAt)
    shown.push('delay-notice');

  return (
    <Page
      title={`${t('applications.title')} · ${t(`applications.kinds.${a.kind}`, { defaultValue: a.kind })}`}
      subtitle={
        <Space>
          <ApplicationStatusTag a={a} />
          <code>{a.id}</code>
        </Space>
      }
      extra={
        <Space wrap>
          <Link to={`/persons/${a.personId}`}>
            <Button>{t('person.title')}</Button>
          </Link>
          {a.cardNo && (
            <Link to={`/cards/${a.cardNo}`}>
              <Button data-testid="open-card">{t('applications.openCard')}</Button>
            </Link>
          )}
          <Link to={`/applications/${a.id}/receipt`} target="_blank">
            <Button icon={<PrinterOutlined />} data-testid="receipt">
              {t('applications.receipt')}
            </Button>
          </Link>
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card>
            <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} className="kv">
              <Descriptions.Item label={t('applications.kind')}>
                {t(`applications.kinds.${a.kind}`, { defaultValue: a.kind })}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.reason')}>
                {a.reason ? t(`applications.reasons.${a.reason}`, { defaultValue: a.reason }) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.channel')}>
                {t(`applications.channels.${a.channel}`, { defaultValue: a.channel })}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.production')}>
                {t(`applications.productions.${a.production}`, { defaultValue: a.production })}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.delivery')}>
                {t(`applications.deliveries.${a.delivery}`, { defaultValue: a.delivery })}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.cardNo')}>
                {a.cardNo ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.fee')} span={2}>
                <FeeView fee={a.fee} />
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.due')} span={2}>
                {due ? (
                  <div>
                    <Typography.Text strong data-testid="due-at">
                      {formatDateTime(due.at)}
                    </Typography.Text>{' '}
                    {due.overdue && <Tag color="error">{t('applications.overdue')}</Tag>}
                    {due.rule && <CitationView rule={due.rule} compact />}
                  </div>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              {a.delayNoticeAt && (
                <Descriptions.Item label={t('applications.delayNoticeAt')} span={2}>
                  <span data-testid="delay-notice-at">{formatDateTime(a.delayNoticeAt)}</span>{' '}
                  {delayNotice && <CitationView rule={delayNotice} compact />}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('applications.submittedAt')}>
                {formatDateTime(a.submittedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.approvedAt')}>
                {formatDateTime(a.approvedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.stockedAt')}>
                {formatDateTime(a.stockedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.issuedAt')}>
                {formatDateTime(a.issuedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.packVersion')}>
                {a.jurisdiction} {a.packVersion}
              </Descriptions.Item>
              <Descriptions.Item label={t('applications.agentSection')}>
                {a.agent
                  ? `${String((a.agent as { name?: string }).name ?? '')} ${String((a.agent as { relation?: string }).relation ?? '')}`
                  : '—'}
              </Descriptions.Item>
            </Descriptions>
            {a.rejection && (
              <div style={{ marginTop: 12 }}>
                <Tag color="error">{t('applications.rejection')}</Tag> {a.rejection.reason}{' '}
                {a.rejection.rule && <Tag color="red">{a.rejection.rule}</Tag>}
              </div>
            )}
          </Card>
          <Card title={t('applications.checks')} style={{ marginTop: 16 }}>
            <Table
              size="small"
              rowKey="agency"
              pagination={false}
              dataSource={a.checks}
              locale={{ emptyText: t('common.none') }}
              columns={[
                {
                  title: t('applications.checkAgency'),
                  dataIndex: 'agency',
                  render: (v: string) => t(`enums.agency.${v}`, { defaultValue: v }),
                },
                {
                  title: t('applications.checkResult'),
                  dataIndex: 'result',
                  render: (v: string) => (
                    <Tag color={v === 'pass' ? 'green' : v === 'fail' ? 'red' : 'blue'}>
                      {t(`applications.results.${v}`, { defaultValue: v })}
                    </Tag>
                  ),
                },
                {
                  title: t('common.reason'),
                  dataIndex: 'reason',
                  render: (v: string | null) => v ?? '—',
                },
                {
                  title: t('applications.due'),
                  dataIndex: 'dueAt',
                  render: (v: string | null) => formatDateTime(v),
                },
                {
                  title: t('common.time'),
                  dataIndex: 'recordedAt',
                  render: (v: string | null) => formatDateTime(v),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('cards.acts')}>
            <Space wrap>
              {shown
                .filter((n) => can(PERMISSION[n]))
                .map((n) => (
                  <Button
                    key={n}
                    type={
                      (n === 'checks' && pending) || (n === 'produce' && a.status === 'approved')
                        ? 'primary'
                        : 'default'
                    }
                    danger={n === 'withdraw'}
                    onClick={() => run(n)}
                    data-testid={`app-act-${n}`}
                  >
                    {n === 'checks' ? t('applications.recordCheck') : t(`applications.${n}`)}
                  </Button>
                ))}
            </Space>
            {act.error && !open ? (
              <div style={{ marginTop: 12 }}>
                <ProblemAlert error={act.error} />
              </div>
            ) : null}
          </Card>
          <Card title={t('policy.title')} style={{ marginTop: 16 }}>
            <PackRules
              policy={policy.data}
              prefixes={[
                'checks',
                'production',
                `${a.kind === 'first' ? 'application' : a.kind}.deadline`,
                'pickup.methods',
                'production.delayNotice',
              ]}
            />
          </Card>
        </Col>
      </Row>

      <Modal
        open={open !== null}
        title={
          (open ?? last) === 'checks'
            ? t('applications.recordCheck')
            : t(`applications.${open ?? last}`)
        }
        onCancel={() => setOpen(null)}
        onOk={() => (openSchema ? form.submit() : submit(undefined))}
        confirmLoading={act.isPending}
        okButtonProps={{ 'data-testid': 'app-act-confirm' } as never}
        destroyOnHidden
      >
        {openSchema ? (
          <Form form={form} layout="vertical" onFinish={(v) => submit(cleanBody(v))}>
            <SchemaFields schema={openSchema} />
          </Form>
        ) : (
          <Typography.Paragraph>
            {t('acts.confirmNoBody', { cardNo: a.id.slice(0, 8), act: t(`applications.${open}`) })}
          </Typography.Paragraph>
        )}
        {act.error ? <ProblemAlert error={act.error} /> : null}
      </Modal>
    </Page>
  );
}
