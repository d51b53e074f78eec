/**
 * The person in front of the counter: the masked record (what the API gives by default), a
 * "show full" that asks for a reason and is refused where the record is not this organisation's
 * (a counter serving someone registered elsewhere sees the masked record only), the cards with
 * what works now and why not, the applications, and the person's acts: apply, non-key and key
 * changes (each with where the pack does it), photo, death, and who has looked at the record.
 * A counter sees a person registered elsewhere only for a while after finding them by their
 * full document number: when that has lapsed (404), the page offers to find them again.
 */
import {
  EyeInvisibleOutlined,
  EyeOutlined,
  FileAddOutlined,
  HistoryOutlined,
  PictureOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
  DatePicker,
  Checkbox,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { client, headersFor, unwrap } from '../../api/client';
import type { AccessLogEntry, Application, BodyOf, Person, Policy } from '../../api/types';
import { formatDate, formatDateTime } from '../../app/format';
import { useAct, usePolicy } from '../../app/hooks';
import { enumOptions, idTypeOptions } from '../../app/labels';
import { counterPlace, placesOf } from '../../app/places';
import { useSession } from '../../app/session';
import { MissingOrRefused } from '../../components/Missing';
import { WhereAllowed } from '../../components/Where';
import { CardSummary } from '../../components/CardSummary';
import { Page } from '../../components/Page';
import { PhotoPicker, uploadPhoto } from '../../components/PhotoPicker';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ReasonModal } from '../../components/ReasonModal';
import { ApplicationStatusTag } from '../../components/ApplicationBits';

function PersonDetails({ p }: { p: Person }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2, xxl: 3 }}
      className="kv"
      data-testid="person-details"
    >
      <Descriptions.Item label={t('person.name')}>
        <span data-testid="person-name">{p.name}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('person.ssn')}>
        <span data-testid="person-ssn">{p.ssn}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('person.idType')}>
        {t(`idTypes.${p.idType}`, { defaultValue: p.idType })}
      </Descriptions.Item>
      <Descriptions.Item label={t('person.idNumber')}>
        <span data-testid="person-id-number">{p.idNumber}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('person.sex')}>{t(`sex.${p.sex}`)}</Descriptions.Item>
      <Descriptions.Item label={t('person.birthDate')}>{formatDate(p.birthDate)}</Descriptions.Item>
      <Descriptions.Item label={t('person.nationality')}>{p.nationality}</Descriptions.Item>
      <Descriptions.Item label={t('person.phone')}>{p.phone ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('person.postcode')}>{p.postcode ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('person.householdAddress')}>
        {p.householdAddress ?? '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('person.residenceAddress')}>
        {p.residenceAddress ?? '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('person.occupation')}>{p.occupation ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('person.medicalInsurance')}>
        {p.medicalInsurance
          ? t(`medical.${p.medicalInsurance}`, { defaultValue: p.medicalInsurance })
          : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('person.hardship')}>
        {t(`hardship.${p.hardship}`, { defaultValue: p.hardship })}
      </Descriptions.Item>
      <Descriptions.Item label={t('person.photo')}>
        {p.hasPhoto ? t('person.hasPhoto') : t('person.noPhoto')}
      </Descriptions.Item>
      <Descriptions.Item label={t('person.guardian')}>
        {p.guardian ? `${p.guardian.name}（${p.guardian.relation}）${p.guardian.idNumber}` : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('person.jurisdiction')}>{p.jurisdiction}</Descriptions.Item>
      <Descriptions.Item label={t('person.updatedAt')}>
        {formatDateTime(p.updatedAt)}
      </Descriptions.Item>
    </Descriptions>
  );
}

function AccessLog({
  personId,
  open,
  onClose,
}: {
  personId: string;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const log = useQuery({
    queryKey: ['access-log', personId, page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/persons/{id}/access-log', {
          params: { path: { id: personId }, query: { limit: 20, offset: (page - 1) * 20 } },
        }),
      ),
    enabled: open,
  });
  return (
    <Drawer open={open} onClose={onClose} size={760} title={t('person.accessLog')}>
      <Typography.Paragraph type="secondary">{t('person.accessLogIntro')}</Typography.Paragraph>
      {log.error && <ProblemAlert error={log.error} />}
      <Table<AccessLogEntry>
        size="small"
        rowKey={(r) => `${r.at}-${r.action}-${r.target.id}`}
        loading={log.isLoading}
        dataSource={log.data?.items}
        pagination={{ current: page, pageSize: 20, total: log.data?.total, onChange: setPage }}
        columns={[
          { title: t('common.time'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
          { title: t('audit.action'), dataIndex: 'action' },
          { title: t('audit.by'), dataIndex: 'by' },
          {
            title: t('audit.outcome'),
            dataIndex: 'outcome',
            render: (v: string) => (
              <Tag color={v === 'success' ? 'green' : 'red'}>{t(`audit.outcomes.${v}`)}</Tag>
            ),
          },
          { title: t('audit.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </Drawer>
  );
}

type Changes = BodyOf<'/api/v1/persons/{id}', 'patch'>;

/** Where the pack does a person's act, and where this counter is. */
function Where({
  policy,
  act,
}: {
  policy: Policy | undefined;
  act: 'nonKeyInfoChange' | 'keyInfoChange';
}) {
  const { me } = useSession();
  return <WhereAllowed places={placesOf(policy, act)} at={counterPlace(me?.organizationKind)} />;
}

function EditModal({
  person,
  policy,
  open,
  onClose,
}: {
  person: Person;
  policy: Policy | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const act = useAct(
    (v: Record<string, unknown>, key: string) =>
      unwrap(
        client.PATCH('/api/v1/persons/{id}', {
          params: { path: { id: person.id } },
          body: { version: person.version, ...v } as Changes,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['person', person.id]],
  );
  return (
    <Modal
      open={open}
      title={t('person.editInfo')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={act.isPending}
      destroyOnHidden
      width={640}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: Record<string, string | undefined>) => {
          const body = Object.fromEntries(
            Object.entries(v).filter(([, x]) => x !== undefined && x !== ''),
          );
          act.mutate(body, {
            onSuccess: () => {
              act.message.success(t('person.updated'));
              onClose();
            },
          });
        }}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="phone" label={t('person.phone')}>
              <Input maxLength={20} inputMode="tel" placeholder={person.phone ?? ''} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="postcode" label={t('person.postcode')}>
              <Input maxLength={6} placeholder={person.postcode ?? ''} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="residenceAddress" label={t('person.residenceAddress')}>
              <Input maxLength={200} placeholder={person.residenceAddress ?? ''} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="householdAddress" label={t('person.householdAddress')}>
              <Input maxLength={200} placeholder={person.householdAddress ?? ''} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="occupation" label={t('person.occupation')}>
              <Input maxLength={60} placeholder={person.occupation ?? ''} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="medicalInsurance" label={t('person.medicalInsurance')}>
              <Select
                allowClear
                options={enumOptions(t, 'medical', ['employee', 'resident', 'other'])}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="hardship" label={t('person.hardship')}>
              <Select allowClear options={enumOptions(t, 'hardship', ['none', 'tekun', 'dibao'])} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <Where policy={policy} act="nonKeyInfoChange" />
      {act.error && <ProblemAlert error={act.error} />}
    </Modal>
  );
}

function KeyChangeModal({
  person,
  policy,
  open,
  onClose,
}: {
  person: Person;
  policy: Policy | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const act = useAct(
    (v: Record<string, unknown>, key: string) =>
      unwrap(
        client.POST('/api/v1/persons/{id}/key-change', {
          params: { path: { id: person.id } },
          body: v as never,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [
      ['person', person.id],
      ['cards', person.id],
      ['applications', person.id],
    ],
  );
  return (
    <Modal
      open={open}
      title={t('applications.keyChangeTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={act.isPending}
      destroyOnHidden
      width={600}
    >
      <Typography.Paragraph type="secondary">
        {t('applications.keyChangeIntro')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: Record<string, unknown>) => {
          const body = Object.fromEntries(
            Object.entries(v).filter(([, x]) => x !== undefined && x !== '' && x !== false),
          );
          act.mutate(body, {
            onSuccess: (r) => {
              onClose();
              if (r.applications[0]) navigate(`/applications/${r.applications[0].id}`);
            },
          });
        }}
      >
        <Form.Item name="name" label={t('applications.newName')}>
          <Input maxLength={60} data-testid="key-name" />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="idType" label={t('applications.newIdType')} style={{ width: '40%' }}>
            <Select allowClear options={idTypeOptions(t)} />
          </Form.Item>
          <Form.Item name="idNumber" label={t('applications.newIdNumber')} style={{ width: '60%' }}>
            <Input maxLength={30} autoComplete="off" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="photoChanged" valuePropName="checked">
          <Checkbox>{t('applications.photoChanged')}</Checkbox>
        </Form.Item>
        <Form.Item name="proof" label={t('applications.proof')}>
          <Input maxLength={100} data-testid="key-proof" />
        </Form.Item>
        <Form.Item name="production" label={t('applications.production')}>
          <Select
            allowClear
            options={enumOptions(t, 'applications.productions', ['batch', 'instant'])}
          />
        </Form.Item>
      </Form>
      <Where policy={policy} act="keyInfoChange" />
      {act.error && <ProblemAlert error={act.error} />}
    </Modal>
  );
}

function DeathModal({
  person,
  open,
  onClose,
}: {
  person: Person;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const act = useAct(
    (v: { diedOn: string; evidence: string }, key: string) =>
      unwrap(
        client.POST('/api/v1/persons/{id}/death', {
          params: { path: { id: person.id } },
          body: v,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [
      ['person', person.id],
      ['cards', person.id],
    ],
  );
  return (
    <Modal
      open={open}
      title={t('person.recordDeath')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={act.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: { diedOn: { format: (f: string) => string }; evidence: string }) =>
          act.mutate(
            { diedOn: v.diedOn.format('YYYY-MM-DD'), evidence: v.evidence.trim() },
            { onSuccess: onClose },
          )
        }
      >
        <Form.Item name="diedOn" label={t('person.diedOn')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item
          name="evidence"
          label={t('fields.deathCertificate')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={200} />
        </Form.Item>
      </Form>
      {act.error && <ProblemAlert error={act.error} />}
    </Modal>
  );
}

function PhotoModal({
  person,
  open,
  onClose,
}: {
  person: Person;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const act = useAct(
    (f: File, key: string) => uploadPhoto(person.id, f, key),
    [['person', person.id]],
  );
  return (
    <Modal
      open={open}
      title={t('person.uploadPhoto')}
      onCancel={onClose}
      okButtonProps={{ disabled: !file }}
      confirmLoading={act.isPending}
      onOk={() =>
        file &&
        act.mutate(file, {
          onSuccess: (r) => {
            act.message.success(t('person.photoUploaded', { width: r.width, height: r.height }));
            onClose();
          },
        })
      }
      destroyOnHidden
    >
      <PhotoPicker value={file} onChange={setFile} />
      {act.error && <ProblemAlert error={act.error} />}
    </Modal>
  );
}

export default function PersonPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const [full, setFull] = useState<Person | null>(null);
  const [asking, setAsking] = useState(false);
  const [fullError, setFullError] = useState<unknown>(null);
  const [fullPending, setFullPending] = useState(false);
  const [modal, setModal] = useState<null | 'edit' | 'key' | 'death' | 'photo' | 'log'>(null);

  const person = useQuery({
    queryKey: ['person', id],
    queryFn: () => unwrap(client.GET('/api/v1/persons/{id}', { params: { path: { id } } })),
  });
  const cards = useQuery({
    queryKey: ['cards', id],
    queryFn: () => unwrap(client.GET('/api/v1/persons/{id}/cards', { params: { path: { id } } })),
    enabled: can('card.read') && person.isSuccess,
  });
  const policy = usePolicy(person.data?.jurisdiction);
  const applications = useQuery({
    queryKey: ['applications', id],
    queryFn: () =>
      unwrap(client.GET('/api/v1/persons/{id}/applications', { params: { path: { id } } })),
    enabled: can('application.read') && person.isSuccess,
  });

  const showFull = async (reason: string) => {
    setFullPending(true);
    setFullError(null);
    try {
      const p = await unwrap(
        client.GET('/api/v1/persons/{id}', {
          params: { path: { id }, query: { view: 'full' } },
          headers: headersFor({ reason }),
        }),
      );
      setFull(p);
      setAsking(false);
    } catch (e) {
      setFullError(e);
    } finally {
      setFullPending(false);
    }
  };

  if (person.isLoading) return <Spin className="page-spin" />;
  if (person.error || !person.data)
    return (
      <Page title={t('person.title')}>
        <MissingOrRefused error={person.error} />
      </Page>
    );
  const shown = full ?? person.data;
  const apps = applications.data?.items ?? [];

  return (
    <Page
      title={`${shown.name}`}
      subtitle={
        <Space>
          <Tag color={shown.masked ? 'default' : 'orange'} data-testid="masked-tag">
            {shown.masked ? t('person.masked') : t('person.full')}
          </Tag>
          {shown.diedOn && (
            <Tag color="black">
              {t('person.deceased')} {formatDate(shown.diedOn)}
            </Tag>
          )}
          <span>
            {policy.data
              ? i18n.language === 'en'
                ? policy.data.jurisdiction.name.en
                : policy.data.jurisdiction.name.zh
              : shown.jurisdiction}
          </span>
        </Space>
      }
      extra={
        <Space wrap>
          {can('application.create') && (
            <Link to={`/persons/${id}/apply`}>
              <Button type="primary" icon={<FileAddOutlined />} data-testid="apply">
                {t('person.apply')}
              </Button>
            </Link>
          )}
          {can('person.read_full') &&
            (full ? (
              <Button icon={<EyeInvisibleOutlined />} onClick={() => setFull(null)}>
                {t('person.hideFull')}
              </Button>
            ) : (
              <Button
                icon={<EyeOutlined />}
                onClick={() => setAsking(true)}
                data-testid="show-full"
              >
                {t('person.showFull')}
              </Button>
            ))}
          <Button icon={<HistoryOutlined />} onClick={() => setModal('log')}>
            {t('person.accessLog')}
          </Button>
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card
            title={t('person.title')}
            extra={
              <Space wrap>
                {can('person.update') && (
                  <>
                    <Button size="small" onClick={() => setModal('edit')}>
                      {t('person.editInfo')}
                    </Button>
                    <Button
                      size="small"
                      icon={<PictureOutlined />}
                      onClick={() => setModal('photo')}
                    >
                      {t('person.uploadPhoto')}
                    </Button>
                    <Button size="small" onClick={() => setModal('death')}>
                      {t('person.recordDeath')}
                    </Button>
                  </>
                )}
                {can('person.key_change') && (
                  <Button size="small" onClick={() => setModal('key')}>
                    {t('person.keyChange')}
                  </Button>
                )}
              </Space>
            }
          >
            {fullError && !asking ? (
              <ProblemAlert error={fullError} onClose={() => setFullError(null)} />
            ) : null}
            <PersonDetails p={shown} />
          </Card>
          <Card
            title={t('person.applications')}
            style={{ marginTop: 16 }}
            loading={applications.isLoading}
          >
            {applications.error ? <ProblemAlert error={applications.error} /> : null}
            {apps.length === 0 ? (
              <Empty description={t('applications.none')} />
            ) : (
              <Table<Application>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={apps}
                columns={[
                  {
                    title: t('applications.submittedAt'),
                    dataIndex: 'submittedAt',
                    render: (v: string) => formatDateTime(v),
                  },
                  {
                    title: t('applications.kind'),
                    dataIndex: 'kind',
                    render: (v: string) => t(`applications.kinds.${v}`, { defaultValue: v }),
                  },
                  {
                    title: t('applications.status'),
                    render: (_, a) => <ApplicationStatusTag a={a} />,
                  },
                  {
                    title: t('applications.cardNo'),
                    dataIndex: 'cardNo',
                    render: (v: string | null) => v ?? '—',
                  },
                  {
                    title: t('common.actions'),
                    render: (_, a) => <Link to={`/applications/${a.id}`}>{t('common.view')}</Link>,
                  },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('person.cards')} loading={cards.isLoading}>
            {cards.error && <ProblemAlert error={cards.error} />}
            {cards.data?.items.length === 0 && <Empty description={t('person.noCards')} />}
            {cards.data?.items.map((c) => (
              <CardSummary key={c.cardNo} card={c} policy={policy.data} />
            ))}
          </Card>
        </Col>
      </Row>

      <ReasonModal
        open={asking}
        title={t('person.showFullTitle')}
        intro={t('person.showFullIntro')}
        placeholder={t('person.reasonExamples')}
        pending={fullPending}
        error={fullError}
        onSubmit={showFull}
        onCancel={() => {
          setAsking(false);
          setFullError(null);
        }}
      />
      <EditModal
        person={person.data}
        policy={policy.data}
        open={modal === 'edit'}
        onClose={() => setModal(null)}
      />
      <KeyChangeModal
        person={person.data}
        policy={policy.data}
        open={modal === 'key'}
        onClose={() => setModal(null)}
      />
      <DeathModal person={person.data} open={modal === 'death'} onClose={() => setModal(null)} />
      <PhotoModal
        person={person.data}
        open={modal === 'photo'}
        onClose={() => {
          setModal(null);
          void qc.invalidateQueries({ queryKey: ['person', id] });
        }}
      />
      <AccessLog personId={id} open={modal === 'log'} onClose={() => setModal(null)} />
    </Page>
  );
}
