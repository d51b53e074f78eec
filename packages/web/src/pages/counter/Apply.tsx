/**
 * Applying for a card (申领) for the person in front of the counter: the kinds the pack offers,
 * each with where the pack takes it (`places.<kind>`, with its article: a Shaoguan replacement is
 * taken only at the service window, SG-16), the proxies it allows (a unit, an agent), the reasons
 * it accepts for a change or reissue, the card branch that makes and hands over the card (chosen
 * here at a service window or community outlet), production on the spot where that branch can
 * and the pack allows, delivery, an agent or guardian with both documents seen, and the fee with
 * its article before anything is submitted.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Divider,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { client, headersFor, unwrap } from '../../api/client';
import { ApiError } from '../../api/problem';
import { ActionKey } from '../../api/transport';
import type { NewApplication } from '../../api/types';
import { param, useBranches, usePolicy } from '../../app/hooks';
import { enumOptions, idTypeOptions } from '../../app/labels';
import { counterPlace, placesOf } from '../../app/places';
import { useSession } from '../../app/session';
import { FeeView } from '../../components/ApplicationBits';
import { PackRules } from '../../components/PackRules';
import { Page } from '../../components/Page';
import { MissingOrRefused } from '../../components/Missing';
import { CitationView, ProblemAlert } from '../../components/ProblemAlert';
import { WhereAllowed } from '../../components/Where';

type Values = NewApplication & { useAgent?: boolean };

const KINDS = [
  'first',
  'replacement',
  'change',
  'reissue',
  'temporary',
] as const satisfies readonly NewApplication['kind'][];
const DELIVERIES = ['counter', 'mail', 'home', 'unit'] as const satisfies readonly NonNullable<
  NewApplication['delivery']
>[];

export default function Apply() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { organization, me } = useSession();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const key = useRef<ActionKey | null>(null);
  key.current ??= new ActionKey();
  const counter = counterPlace(me?.organizationKind);
  // A branch makes and hands over its own cards; any other counter names the card branch.
  const choosesBranch = me?.organizationKind !== 'branch';
  const person = useQuery({
    queryKey: ['person', id],
    queryFn: () => unwrap(client.GET('/api/v1/persons/{id}', { params: { path: { id } } })),
  });
  const cards = useQuery({
    queryKey: ['cards', id],
    queryFn: () => unwrap(client.GET('/api/v1/persons/{id}/cards', { params: { path: { id } } })),
  });
  const policy = usePolicy(person.data?.jurisdiction);
  const kind = Form.useWatch('kind', form) ?? 'first';
  const production = Form.useWatch('production', form);
  const delivery = Form.useWatch('delivery', form);
  const useAgent = Form.useWatch('useAgent', form);
  const reason = Form.useWatch('reason', form);
  const branchId = Form.useWatch('branchId', form);
  const branches = useBranches(person.data?.jurisdiction, choosesBranch);

  const kinds = (param(policy.data, 'application.kinds')?.value as string[] | undefined) ?? [
    ...KINDS,
  ];
  const offeredKinds = KINDS.filter(
    (k) =>
      kinds.includes(k) ||
      (k === 'temporary' && param(policy.data, 'temporaryCard.offered')?.value === true),
  );
  // At a counter the applicant (or their guardian) applies in person; the pack may let a unit
  // or an agent bring applications for others (application.proxies).
  const proxies = (param(policy.data, 'application.proxies')?.value as string[] | undefined) ?? [];
  const channels = ['counter', ...proxies.filter((p) => p === 'unit' || p === 'agent')];
  const instant = param(policy.data, 'production.instant')?.value as
    { offered?: string; kinds?: string[] } | undefined;
  const instantForKind =
    !!instant && instant.offered !== 'none' && (instant.kinds ?? []).includes(kind);
  const chosenBranch = branches.data?.items.find((b) => b.id === branchId);
  const canInstant = choosesBranch
    ? (chosenBranch?.canInstantIssue ?? false)
    : (organization?.canInstantIssue ?? false);
  const kindPlaces = placesOf(policy.data, kind, reason);
  const notHere = (k: string) => {
    const p = placesOf(policy.data, k as NewApplication['kind']);
    return !!p && !p.places.includes(counter);
  };
  const reasons =
    kind === 'change' || kind === 'reissue'
      ? ((param(policy.data, `${kind}.reasons`)?.value as string[] | undefined) ?? [])
      : [];
  const liveCard = cards.data?.items.find((c) => c.status === 'issued' || c.status === 'in_stock');

  useEffect(() => {
    if (liveCard && (kind === 'replacement' || kind === 'change' || kind === 'reissue'))
      form.setFieldValue('oldCardNo', liveCard.cardNo);
  }, [kind, liveCard, form]);

  const quote = useQuery({
    queryKey: ['quote', person.data?.jurisdiction, kind, reason, person.data?.hardship],
    queryFn: () =>
      unwrap(
        client.POST('/api/v1/fees/quote', {
          body: {
            jurisdiction: person.data!.jurisdiction,
            kind,
            ...(reason ? { reason } : {}),
            hardship: (person.data!.hardship as 'none' | 'tekun' | 'dibao') ?? 'none',
            isFirstCard: kind === 'first',
          },
        }),
      ),
    enabled: !!person.data,
    retry: false,
  });

  const submit = useMutation({
    mutationFn: (v: Values) => {
      const { useAgent: withAgent, agent, ...rest } = v;
      const body = Object.fromEntries(
        Object.entries({
          ...rest,
          personId: id,
          ...(withAgent && agent
            ? { agent: { ...agent, documentsSeen: !!agent.documentsSeen } }
            : {}),
        }).filter(([, x]) => x !== undefined && x !== '' && x !== false),
      ) as NewApplication;
      return unwrap(
        client.POST('/api/v1/applications', {
          body,
          headers: headersFor({ idempotencyKey: key.current!.for(body) }),
        }),
      );
    },
    onSettled: (_a, error) => {
      if (!(error instanceof ApiError && error.status === 0)) key.current!.answered();
    },
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: ['applications', id] });
      navigate(`/applications/${a.id}`, { replace: true });
    },
  });

  if (person.isLoading || policy.isLoading) return <Spin className="page-spin" />;
  if (!person.data)
    return (
      <Page title={t('applications.new')}>
        <MissingOrRefused error={person.error} />
      </Page>
    );
  const consent = param(policy.data, 'production.nonInstantNeedsConsent');
  const bankReceipt = param(policy.data, 'replacement.bankLossReceiptRequired');
  const studio = param(policy.data, 'photo.studioReceiptWhenMissing');

  return (
    <Page
      title={`${t('applications.new')} · ${person.data.name}`}
      subtitle={`${t('person.ssn')} ${person.data.ssn}`}
    >
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{
              kind: 'first',
              channel: channels.includes('counter') ? 'counter' : channels[0],
              production: 'batch',
              delivery: 'counter',
            }}
            onFinish={(v) => submit.mutate(v)}
            disabled={submit.isPending}
          >
            <Card>
              <Form.Item name="kind" label={t('applications.kind')} rules={[{ required: true }]}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={offeredKinds.map((k) => ({
                    value: k,
                    label: (
                      <span
                        data-testid={`kind-${k}`}
                        data-place={notHere(k) ? 'elsewhere' : 'here'}
                      >
                        {t(`applications.kinds.${k}`)}
                        {notHere(k) ? t('applications.kindElsewhere') : ''}
                      </span>
                    ),
                  }))}
                />
              </Form.Item>
              <WhereAllowed places={kindPlaces} at={counter} />
              {reasons.length > 0 && (
                <Form.Item
                  name="reason"
                  label={t('applications.reason')}
                  rules={[{ required: true }]}
                >
                  <Select
                    options={enumOptions(t, 'applications.reasons', reasons)}
                    style={{ maxWidth: 360 }}
                  />
                </Form.Item>
              )}
              {kind !== 'first' && kind !== 'temporary' && (
                <Form.Item name="oldCardNo" label={t('applications.oldCardNo')}>
                  <Select
                    allowClear
                    style={{ maxWidth: 360 }}
                    options={cards.data?.items.map((c) => ({
                      value: c.cardNo,
                      label: `${c.cardNo} · ${c.statusLabel.zh}`,
                    }))}
                  />
                </Form.Item>
              )}
              {choosesBranch && (
                <Form.Item
                  name="branchId"
                  label={t('applications.branch')}
                  extra={t('applications.branchHelp')}
                  rules={[{ required: true, message: t('common.required') }]}
                >
                  <Select
                    data-testid="apply-branch"
                    loading={branches.isLoading}
                    style={{ maxWidth: 480 }}
                    showSearch={{ optionFilterProp: 'label' }}
                    options={branches.data?.items.map((b) => ({
                      value: b.id,
                      label: `${b.bankName} · ${b.name}${b.canInstantIssue ? ` · ${t('applications.productions.instant')}` : ''}`,
                    }))}
                  />
                </Form.Item>
              )}
              {branches.error ? <ProblemAlert error={branches.error} /> : null}
              <Row gutter={16}>
                <Col span={12}>
                  <Form.Item name="channel" label={t('applications.channel')}>
                    <Select options={enumOptions(t, 'applications.channels', channels)} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="production"
                    label={t('applications.production')}
                    extra={
                      canInstant
                        ? t('applications.instantAvailable')
                        : t('applications.instantUnavailable')
                    }
                  >
                    <Radio.Group
                      options={[
                        { value: 'batch', label: t('applications.productions.batch') },
                        {
                          value: 'instant',
                          label: t('applications.productions.instant'),
                          disabled: !canInstant,
                        },
                      ]}
                    />
                  </Form.Item>
                </Col>
              </Row>
              {production === 'instant' && !instantForKind && instant && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={`${t('applications.productions.instant')}: ${(instant.kinds ?? []).map((k) => t(`applications.kinds.${k}`)).join('、') || t('common.none')}`}
                  description={
                    <CitationView
                      rule={{
                        rule: param(policy.data, 'production.instant')!.rule,
                        quote: param(policy.data, 'production.instant')!.quote,
                      }}
                      compact
                    />
                  }
                />
              )}
              <Row gutter={16}>
                <Col span={12}>
                  <Form.Item name="delivery" label={t('applications.delivery')}>
                    <Select options={enumOptions(t, 'applications.deliveries', DELIVERIES)} />
                  </Form.Item>
                </Col>
                {(delivery === 'mail' || delivery === 'home') && (
                  <Col span={12}>
                    <Form.Item
                      name="deliveryAddress"
                      label={t('applications.deliveryAddress')}
                      rules={[{ required: true, min: 5 }]}
                    >
                      <Input maxLength={200} />
                    </Form.Item>
                  </Col>
                )}
              </Row>
              {consent?.value === true && (
                <Form.Item name="consentToDelay" valuePropName="checked">
                  <Checkbox>{t('applications.consentToDelay')}</Checkbox>
                </Form.Item>
              )}
              {kind === 'replacement' && bankReceipt?.value === true && (
                <Form.Item name="bankLossReceipt" valuePropName="checked">
                  <Checkbox>{t('applications.bankLossReceipt')}</Checkbox>
                </Form.Item>
              )}
              {studio?.value === true && (
                <Form.Item name="studioPhotoReceipt" valuePropName="checked">
                  <Checkbox>{t('applications.studioPhotoReceipt')}</Checkbox>
                </Form.Item>
              )}
              {kind === 'temporary' && (
                <>
                  <Form.Item name="hospitalProof" label={t('applications.hospitalProof')}>
                    <Input maxLength={100} />
                  </Form.Item>
                  <Form.Item name="temporaryCardLostOrDamaged" valuePropName="checked">
                    <Checkbox>{t('applications.temporaryCardLostOrDamaged')}</Checkbox>
                  </Form.Item>
                </>
              )}
              <Divider />
              <Form.Item name="useAgent" valuePropName="checked">
                <Checkbox data-testid="use-agent">{t('applications.useAgent')}</Checkbox>
              </Form.Item>
              {useAgent && (
                <fieldset className="schema-fieldset">
                  <legend>{t('applications.agentSection')}</legend>
                  <Row gutter={12}>
                    <Col span={8}>
                      <Form.Item
                        name={['agent', 'kind']}
                        label={t('applications.agentKind')}
                        rules={[{ required: true }]}
                        initialValue="agent"
                      >
                        <Radio.Group
                          options={enumOptions(t, 'applications.agentKinds', ['agent', 'guardian'])}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item
                        name={['agent', 'name']}
                        label={t('applications.agentName')}
                        rules={[{ required: true, whitespace: true }]}
                      >
                        <Input maxLength={60} />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item
                        name={['agent', 'relation']}
                        label={t('applications.agentRelation')}
                        rules={[{ required: true, whitespace: true }]}
                      >
                        <Input maxLength={20} />
                      </Form.Item>
                    </Col>
                    <Col span={10}>
                      <Form.Item
                        name={['agent', 'idType']}
                        label={t('applications.agentIdType')}
                        rules={[{ required: true }]}
                        initialValue="resident_id"
                      >
                        <Select options={idTypeOptions(t)} />
                      </Form.Item>
                    </Col>
                    <Col span={14}>
                      <Form.Item
                        name={['agent', 'idNumber']}
                        label={t('applications.agentIdNumber')}
                        rules={[{ required: true, whitespace: true }]}
                      >
                        <Input maxLength={30} autoComplete="off" />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.Item name={['agent', 'documentsSeen']} valuePropName="checked">
                    <Checkbox>{t('applications.documentsSeen')}</Checkbox>
                  </Form.Item>
                  <PackRules policy={policy.data} prefixes={['agents']} />
                </fieldset>
              )}
            </Card>
            <Card style={{ marginTop: 16 }}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                {submit.error && <ProblemAlert error={submit.error} />}
                <Space>
                  <Button
                    type="primary"
                    htmlType="submit"
                    size="large"
                    loading={submit.isPending}
                    data-testid="apply-submit"
                  >
                    {t('applications.submit')}
                  </Button>
                  <Button size="large" onClick={() => navigate(`/persons/${id}`)}>
                    {t('common.cancel')}
                  </Button>
                </Space>
              </Space>
            </Card>
          </Form>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('applications.feeQuote')}>
            {quote.data ? (
              <FeeView fee={quote.data} />
            ) : quote.error ? (
              <ProblemAlert error={quote.error} />
            ) : (
              <Spin />
            )}
          </Card>
          <Card title={t('policy.title')} style={{ marginTop: 16 }}>
            <Typography.Paragraph type="secondary">
              {policy.data?.jurisdiction.regulation} · {policy.data?.jurisdiction.version}
            </Typography.Paragraph>
            <PackRules
              policy={policy.data}
              prefixes={[
                'application',
                `places.${kindPlaces?.act ?? kind}`,
                'production.instant',
                kind === 'first' ? 'production.deadline' : `${kind}.deadline`,
                `${kind}.reasons`,
                'replacement.requiresFormalLoss',
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Page>
  );
}
